/**
 * Test helpers for the demo's tests: run real programs (tshark, nfcapd/nfdump) on what the simulator produced.
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { describeWithTools } from '../tools/process.js';

/** true when `program` runs */
export function hasProgram(program: string, arg = '--version'): boolean {
  return spawnSync(program, [arg], { stdio: 'ignore' }).status === 0;
}

/** describe() that needs system programs (see describeWithTools) */
export function describeWithPrograms(programs: readonly string[], name: string, body: () => void): void {
  describeWithTools(programs, name, body);
}

/** one decoded flow record as tshark shows it: leaf field name -> values in order of appearance */
export type TsharkFlow = Record<string, string[]>;

export interface TsharkPacket {
  /** header fields (cflow.version, cflow.sequence, ...) */
  readonly header: Record<string, string>;
  /** data and options records in packet order */
  readonly flows: TsharkFlow[];
  /** template ids announced in this packet (data and options templates) */
  readonly templates: number[];
}

function collectLeaves(value: unknown, into: TsharkFlow): void {
  if (Array.isArray(value)) {
    for (const v of value) collectLeaves(v, into);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const strings = typeof v === 'string' ? [v] : Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null;
    if (strings) into[key] = [...(into[key] ?? []), ...(strings as string[])];
    else collectLeaves(v, into);
  }
}

/** decodes a pcap with `tshark -d udp.port==N,cflow -T json` and returns every cflow PDU */
export function tsharkDecode(pcapPath: string, ports: readonly number[]): TsharkPacket[] {
  const args = ['-r', pcapPath, ...ports.flatMap((p) => ['-d', `udp.port==${p},cflow`]), '-T', 'json'];
  args.push('--no-duplicate-keys');
  const text = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const frames = JSON.parse(text) as { _source: { layers: Record<string, unknown> } }[];
  const packets: TsharkPacket[] = [];
  for (const frame of frames) {
    const layer = frame._source.layers.cflow;
    const pdus = Array.isArray(layer) ? layer : [layer];
    for (const pdu of pdus as Record<string, unknown>[]) {
      const header: Record<string, string> = {};
      const flows: TsharkFlow[] = [];
      const templates: number[] = [];
      for (const [key, value] of Object.entries(pdu)) {
        if (typeof value === 'string') header[key] = value;
        if (!/^(Flow)?Set \d+/.test(key) || typeof value !== 'object' || value === null) continue;
        for (const [inner, content] of Object.entries(value as Record<string, unknown>)) {
          if (/^Flow \d+$/.test(inner)) {
            const flow: TsharkFlow = {};
            collectLeaves(content, flow);
            flows.push(flow);
          } else if (/^(Options )?Template \(Id = \d+/.test(inner)) {
            templates.push(Number(/Id = (\d+)/.exec(inner)![1]));
          }
        }
      }
      packets.push({ header, flows, templates });
    }
  }
  return packets;
}

/** "Jun 15, 2025 15:06:35.123000000 UTC" -> epoch ms */
export function tsharkAbsTime(text: string): number {
  const m = /^(\w{3}) +(\d+), (\d{4}) (\d\d):(\d\d):(\d\d)\.(\d{3})\d* UTC$/.exec(text);
  if (!m) throw new Error(`Cannot parse tshark time "${text}"`);
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(m[1]!);
  return Date.UTC(Number(m[3]), month, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
}
