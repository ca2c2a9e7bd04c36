/**
 * Configuration of `flowmap demo` (the simulated cluster and its exporters) and of the load generator.
 * @module
 */
import * as z from 'zod';

const port = z.number().int().min(0).max(65535);

export const exporterSpecSchema = z.object({
  node: z.string().min(1).describe('node the exporter runs on (node-1, node-2, node-3 in the default cluster)'),
  version: z.union([z.literal(9), z.literal(10)]).describe('9: NetFlow v9 with ipt_NETFLOW templates; 10: IPFIX'),
  biflow: z.boolean().optional().describe('IPFIX only: RFC 5103 biflow records (both directions in one record)'),
  samplingRate: z
    .number()
    .int()
    .min(1)
    .max(65535)
    .optional()
    .describe('1-in-N packet sampling, announced in options data'),
});

export const demoConfig = z.object({
  seed: z
    .number()
    .int()
    .default(1)
    .describe('seed of every random choice: the same seed gives the same cluster and traffic'),
  rate: z
    .number()
    .positive()
    .max(20_000)
    .default(200)
    .describe('target flow records per second across all exporters (the traffic intensity is calibrated to it)'),
  collector: z
    .object({
      host: z.string().min(1).default('127.0.0.1').describe('collector address the exporters send to'),
      netflowPort: port.default(2055).describe('UDP port NetFlow v9 exporters send to'),
      ipfixPort: port.default(4739).describe('UDP port IPFIX exporters send to'),
    })
    .prefault({})
    .describe('where the simulated exporters send'),
  exporters: z
    .array(exporterSpecSchema)
    .min(1)
    .default(() => [
      { node: 'node-1', version: 9 as const },
      { node: 'node-2', version: 9 as const, samplingRate: 10 },
      { node: 'node-3', version: 10 as const },
    ])
    .describe('one exporter per node; by default two ipt_NETFLOW v9 exporters (one sampled 1:10) and one IPFIX'),
  sourceAddresses: z
    .array(z.string())
    .optional()
    .describe('source address per exporter (the collector sees it as the exporter); default 127.0.1.<n> on loopback'),
  natView: z
    .enum(['conntrack', 'wire'])
    .default('conntrack')
    .describe('how a client node sees replies to Service calls: mirrored (conntrack) or as on the wire (pod IP)'),
  activeTimeoutMs: z.number().int().min(1000).default(60_000).describe('exporters split flows older than this'),
  inactiveTimeoutMs: z.number().int().min(100).default(15_000).describe('exporters export flows idle for this long'),
  warmupMs: z
    .number()
    .int()
    .min(0)
    .max(600_000)
    .default(30_000)
    .describe('simulated history before start, exported at once so the map is populated immediately'),
  tickMs: z.number().int().min(10).max(5000).default(100).describe('simulation step and exporter scan interval'),
  rolloutEveryMs: z.number().int().min(0).default(90_000).describe('mean time between Deployment rollouts; 0 disables'),
  cronJobs: z.boolean().default(true).describe('run the ops/redis-backup CronJob every two minutes'),
  capture: z.boolean().default(false).describe('keep every sent datagram so `pcap()` can return a capture'),
});
export type DemoConfig = z.infer<typeof demoConfig>;
export type DemoConfigInput = z.input<typeof demoConfig>;

export const loadGeneratorConfig = z.object({
  target: z
    .object({ host: z.string().min(1).default('127.0.0.1'), port: port.default(2055) })
    .prefault({})
    .describe('collector address and port'),
  rate: z.number().positive().max(10_000_000).default(100_000).describe('flow records per second to send'),
  durationMs: z.number().int().positive().default(10_000).describe('how long to send'),
  version: z
    .union([z.literal(9), z.literal(10)])
    .default(9)
    .describe('9: NetFlow v9 (ipt_NETFLOW); 10: IPFIX'),
  seed: z.number().int().default(1).describe('seed of the precomputed traffic'),
  records: z
    .number()
    .int()
    .min(1000)
    .max(2_000_000)
    .default(60_000)
    .describe('distinct records precomputed and replayed'),
  exporters: z.number().int().min(1).max(64).default(3).describe('distinct exporters (source id and port) replayed'),
});
export type LoadGeneratorConfig = z.infer<typeof loadGeneratorConfig>;
export type LoadGeneratorConfigInput = z.input<typeof loadGeneratorConfig>;
