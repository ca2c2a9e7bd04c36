import * as z from 'zod';

export const templateCacheConfig = z.object({
  ttlMs: z
    .number()
    .int()
    .positive()
    .default(3_600_000)
    .describe('a template (and the options data learnt with it) is forgotten this long after its last announcement'),
  maxTemplates: z
    .number()
    .int()
    .positive()
    .default(16_384)
    .describe('templates kept across all exporters; new ones beyond it are dropped (counted as template-limit)'),
  maxTemplatesPerExporter: z
    .number()
    .int()
    .positive()
    .default(1_024)
    .describe('templates kept per exporter address, so that one flooding exporter cannot evict the others'),
  maxFieldsPerTemplate: z
    .number()
    .int()
    .positive()
    .default(512)
    .describe('templates with more fields are dropped (counted as template-limit); bounds memory per template'),
  maxSamplersPerScope: z
    .number()
    .int()
    .positive()
    .default(256)
    .describe('sampler ids whose rate is remembered per exporter, version and observation domain'),
});
export type TemplateCacheConfig = z.infer<typeof templateCacheConfig>;
