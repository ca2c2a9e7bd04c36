/**
 * tshark as an independent decoder of captures: JSON (`-T json`) or selected fields (`-T fields`), with
 * "decode as" rules for flow exports on unusual ports. `writeDatagramsPcap` turns received datagrams back into a
 * capture tshark can read.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { writePcap as udpCapture } from '../../src/demo/pcap/index.js';
import { requireTool, runTool } from './process.js';

export interface TsharkOptions {
  /** `-d` rules, e.g. ["udp.port==21001,cflow"] */
  readonly decodeAs?: readonly string[];
  /** a display filter (`-Y`) */
  readonly filter?: string;
  /** `-o` preferences, e.g. ["tcp.check_checksum:TRUE"] */
  readonly preferences?: readonly string[];
  readonly timeoutMs?: number;
}

function commonArgs(pcap: string, options: TsharkOptions): string[] {
  const args = ['-n', '-r', pcap];
  for (const rule of options.decodeAs ?? []) args.push('-d', rule);
  for (const preference of options.preferences ?? []) args.push('-o', preference);
  if (options.filter) args.push('-Y', options.filter);
  return args;
}

async function tshark(args: string[], timeoutMs: number): Promise<string> {
  requireTool('tshark');
  const result = await runTool('tshark', args, { timeoutMs, env: { ...process.env, TZ: 'UTC' } });
  if (result.code !== 0)
    throw new Error(`Cannot run "tshark ${args.join(' ')}": exit ${result.code}\n${result.stderr}`);
  return result.stdout;
}

/** `tshark -T json --no-duplicate-keys`: one object per frame */
export async function tsharkJson(pcap: string, options: TsharkOptions = {}): Promise<unknown[]> {
  const out = await tshark(
    [...commonArgs(pcap, options), '-T', 'json', '--no-duplicate-keys'],
    options.timeoutMs ?? 60_000,
  );
  return out.trim() ? (JSON.parse(out) as unknown[]) : [];
}

/** `tshark -T fields -e ...`: one row per frame, one column per field (several values joined by ",") */
export async function tsharkFields(
  pcap: string,
  fields: readonly string[],
  options: TsharkOptions = {},
): Promise<string[][]> {
  const args = [
    ...commonArgs(pcap, options),
    '-T',
    'fields',
    '-E',
    'separator=\t',
    '-E',
    'occurrence=a',
    '-E',
    'aggregator=,',
  ];
  for (const field of fields) args.push('-e', field);
  const out = await tshark(args, options.timeoutMs ?? 60_000);
  return out
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t'));
}

/** writes `payloads` as UDP datagrams `src:srcPort -> dst:dstPort` (IPv4 over Ethernet), one per millisecond */
export function writeDatagramsPcap(
  path: string,
  payloads: readonly Uint8Array[],
  endpoints: { src?: string; dst?: string; srcPort?: number; dstPort: number; start?: number },
): void {
  const start = endpoints.start ?? Date.UTC(2024, 0, 1);
  const datagrams = payloads.map((payload, i) => ({
    time: start + i,
    srcAddr: endpoints.src ?? '127.0.0.1',
    srcPort: endpoints.srcPort ?? 40_000,
    dstAddr: endpoints.dst ?? '127.0.0.1',
    dstPort: endpoints.dstPort,
    payload,
  }));
  writeFileSync(path, udpCapture(datagrams)); // the demo's capture writer (config `capture: true`)
}
