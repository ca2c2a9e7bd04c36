/**
 * The full fuzz run: FUZZ_PACKETS (default 1,000,000) mutated/truncated/random packets through each decoder, plus
 * the real captures of the corpus as extra seeds when it is present, plus a template flood from thousands of
 * exporters while the heap is sampled. Exits non-zero when an exception escaped or was thrown inside decode, or
 * when the template cache or the heap outgrew their bounds.
 *   node --expose-gc --import tsx src/decode/fuzz/fuzz.bench.ts   (also run by `npm run bench -- fuzz`)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { corpusPath } from '../../../test/corpus.js';
import { type FuzzFormat, type FuzzReport, runFuzz } from './index.js';

const PACKETS = Number(process.env.FUZZ_PACKETS ?? 1_000_000);

/** the corpus .dat payloads of one version, as extra seeds */
function corpusSeeds(format: FuzzFormat): Uint8Array[] {
  const dir = corpusPath('logstash-codec-netflow/spec/codecs');
  if (!existsSync(dir)) return [];
  const version = { v5: 5, v9: 9, ipfix: 10 }[format];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.dat'))
    .map((f) => new Uint8Array(readFileSync(`${dir}/${f}`)))
    .filter((b) => b.length > 2 && ((b[0]! << 8) | b[1]!) === version);
}

function print(label: string, report: FuzzReport, ms: number): boolean {
  const { stats } = report;
  console.log(
    `fuzz ${label}: ${report.packets} packets in ${(ms / 1000).toFixed(1)} s, ${stats.records} records, ` +
      `${stats.optionsRecords} options records, ${stats.templates} templates, dropped ${JSON.stringify(stats.dropped)}, ` +
      `internal errors ${report.internalErrors}, max templates held ${report.maxTemplatesHeld}/${report.templateBound}`,
  );
  if (report.firstError) console.log(report.firstError);
  return report.internalErrors === 0 && report.maxTemplatesHeld <= report.templateBound;
}

let ok = true;
for (const format of ['v5', 'v9', 'ipfix'] as const) {
  const seeds = corpusSeeds(format);
  const t0 = performance.now();
  const report = runFuzz({ format, packets: PACKETS, seed: 2026, seeds });
  ok = print(`${format} (+${seeds.length} corpus seeds)`, report, performance.now() - t0) && ok;
}

const heap: number[] = [];
for (const format of ['v9', 'ipfix'] as const) {
  const t0 = performance.now();
  const report = runFuzz({
    format,
    packets: PACKETS,
    seed: 99,
    flood: true,
    maxTemplates: 16_384,
    maxTemplatesPerExporter: 1_024,
    sampleEvery: Math.max(1, Math.floor(PACKETS / 10)),
    onSample: () => {
      (globalThis as { gc?: () => void }).gc?.();
      heap.push(process.memoryUsage().heapUsed);
    },
  });
  ok = print(`${format} template flood`, report, performance.now() - t0) && ok;
}
const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
console.log(`fuzz heap during the floods (every ${Math.floor(PACKETS / 10)} packets): ${heap.map(mb).join(', ')}`);
if (Math.max(...heap) > 512 * 2 ** 20) ok = false;
console.log(ok ? 'fuzz: OK' : 'fuzz: FAILED');
process.exit(ok ? 0 : 1);
