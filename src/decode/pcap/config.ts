import * as z from 'zod';

/** IP fragment reassembly limits: memory stays bounded however many fragments a capture holds */
export const reassemblyConfig = z.object({
  maxPending: z
    .number()
    .int()
    .min(1)
    .default(256)
    .describe('datagrams being reassembled at once; the oldest is dropped beyond this'),
  maxBytes: z
    .number()
    .int()
    .min(65_535)
    .default(4 * 1024 * 1024)
    .describe('payload bytes buffered across all pending datagrams; the oldest are dropped beyond this'),
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .default(30_000)
    .describe('capture time after its first fragment when an incomplete datagram is dropped'),
});
export type ReassemblyConfig = z.infer<typeof reassemblyConfig>;

export const captureConfig = z.object({
  reassembly: reassemblyConfig.prefault({}),
});
export type CaptureConfig = z.infer<typeof captureConfig>;
