/**
 * `flowmap map --cluster FILE --flows FILE... [--format F]`: the same engine as `serve`, offline — a cluster snapshot
 * plus flow captures in, the who-calls-whom edges out.
 * @module
 */
import { parseArgs } from 'node:util';
import { mergeWindows } from '../../aggregate/index.js';
import { flowmapConfig } from '../../app/config.js';
import { loadConfig } from '../../app/config-loader.js';
import { createLogger } from '../../app/logger.js';
import { exporterKey } from '../../collector/naming.js';
import { exportFormat } from '../../contract/query.js';
import type { EdgeWindow } from '../../core/edge.js';
import { ConfigError } from '../../core/errors.js';
import type { FlowRecord } from '../../core/flow.js';
import { createPacketDecoder } from '../../decode/index.js';
import { createIdentity } from '../../enrich/kubernetes/index.js';
import { type ExportFormatName, renderEdges } from '../../export/index.js';
import { createFlowPipeline } from '../../pipeline/index.js';
import { InputError, openInput } from './decode-input.js';

const HELP = `Usage: flowmap map --cluster FILE --flows FILE... [options]

Reads a cluster snapshot (kubectl get nodes,pods,services,endpointslices,replicasets,deployments,
statefulsets,daemonsets,jobs,cronjobs -A -o json) and flow captures (pcap, pcapng, .dat payloads),
and prints who calls whom: the edges "flowmap serve" would compute from the same data.

Options:
  --cluster FILE         cluster snapshot (JSON or YAML); repeatable
  --flows FILE           flow capture; repeatable, also as positional arguments (read in order)
  --format F             text (default), json, yaml, dot, networkpolicy, intents
  --level L              workload (default) or pod
  --config FILE          flowmap YAML config (identity CIDR labels, pipeline settings)
  --exporter ADDR        exporter address of .dat payload files (default 192.0.2.1)
  --exporter-by-port     tell exporters apart by source address AND port (several exporters on one host)
  --no-asn               do not name external addresses by ASN
  -h, --help             this help`;

const OPTIONS = {
  cluster: { type: 'string', multiple: true },
  flows: { type: 'string', multiple: true },
  format: { type: 'string', default: 'text' },
  level: { type: 'string', default: 'workload' },
  config: { type: 'string' },
  exporter: { type: 'string', default: '192.0.2.1' },
  'exporter-by-port': { type: 'boolean', default: false },
  'no-asn': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
} as const;

/** records are pushed in batches of this many datagrams; the pipeline clock follows the capture's time */
const DATAGRAMS_PER_BATCH = 64;

export async function run(argv: string[], io: { out: (s: string) => void } = { out: (s) => process.stdout.write(s) }) {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (error) {
    console.error(`Cannot read the options of "flowmap map": ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const flows = [...(values.flows ?? []), ...positionals];
  const format = exportFormat.safeParse(values.format);
  const problem = !values.cluster?.length
    ? 'no --cluster snapshot given'
    : flows.length === 0
      ? 'no --flows capture given'
      : !format.success
        ? `unknown --format "${values.format}"`
        : values.level !== 'workload' && values.level !== 'pod'
          ? `unknown --level "${values.level}"`
          : undefined;
  if (problem) {
    console.error(`Cannot draw the map: ${problem}\n\n${HELP}`);
    return 2;
  }
  const level = values.level as 'workload' | 'pod';
  try {
    const config = loadConfig(flowmapConfig, {
      ...(values.config ? { file: values.config } : {}),
      overrides: {
        'identity.snapshots': values.cluster,
        'identity.kubernetes.mode': 'off',
        ...(values['no-asn'] ? { 'identity.asn': false } : {}),
        ...(level === 'pod' ? { 'pipeline.aggregate.levels': ['workload', 'pod'] } : {}),
      },
    });
    let now = 0;
    const clock = () => now;
    const log = createLogger({ level: 'warn', format: 'text' });
    const identity = createIdentity(config.identity, { clock, log, env: {} });
    const controller = new AbortController();
    await identity.start(controller.signal);
    await identity.asn?.load();
    const decoder = createPacketDecoder({ clock, templateConfig: config.decode.templates });
    const pipeline = createFlowPipeline(config.pipeline, { index: identity.index, clock });
    const windows: EdgeWindow[] = [];
    const records: FlowRecord[] = [];
    let pending = 0;
    const push = () => {
      pipeline.push(records);
      records.length = 0;
      windows.push(...pipeline.flush(now));
      pending = 0;
    };
    for (const path of flows) {
      const input = await openInput(path, { exporter: values.exporter, now: () => Date.now() });
      for (const d of input.datagrams) {
        if (d.receivedAt > now) now = d.receivedAt;
        const exporter =
          input.kind === 'dat' ? d.exporter : exporterKey(d.exporter, d.srcPort, values['exporter-by-port']);
        decoder.decode(d.payload, { exporter, receivedAt: d.receivedAt, out: records });
        if (++pending >= DATAGRAMS_PER_BATCH) push();
      }
    }
    push();
    windows.push(...pipeline.flush(now, true));
    await identity.stop();
    controller.abort();
    const edges = mergeWindows(windows, { level });
    io.out(renderEdges(format.data as ExportFormatName, edges));
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof InputError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}
