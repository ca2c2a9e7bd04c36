/**
 * nfdump as an independent decoder: nfcapd receives export datagrams on a local port and writes them to a file,
 * `nfdump -o json` prints its records. Times are printed in UTC (TZ=UTC).
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool, runTool, sleep, stopChild, waitForExit } from './process.js';
import { sendUdp } from './udp.js';

/** one record as `nfdump -o json` prints it (the fields the tests compare; nfdump adds more) */
export interface NfdumpRecord {
  readonly type: string;
  /** "YYYY-MM-DDTHH:MM:SS.mmm", UTC */
  readonly first: string;
  readonly last: string;
  readonly in_packets: number;
  readonly in_bytes: number;
  readonly proto: number;
  /** e.g. "...AP.SF" (U, A, P, R, S, F positions) */
  readonly tcp_flags: string;
  readonly src_port: number;
  readonly dst_port: number;
  readonly src4_addr?: string;
  readonly dst4_addr?: string;
  readonly src6_addr?: string;
  readonly dst6_addr?: string;
  readonly [field: string]: unknown;
}

export interface NfdumpOptions {
  /** nfcapd's port on 127.0.0.1; pick one from the test's own range */
  readonly port: number;
  readonly timeoutMs?: number;
}

/** the epoch ms of an nfdump time string (printed in UTC) */
export function nfdumpTime(text: string): number {
  return Date.parse(`${text}Z`);
}

/** the flag bits of nfdump's "...AP.SF" text (positions C E U A P R S F from bit 7 to 0) */
export function nfdumpFlags(text: string): number {
  let bits = 0;
  const chars = text.padStart(8, '.');
  for (let i = 0; i < 8; i++) if (chars[i] !== '.') bits |= 1 << (7 - i);
  return bits;
}

/** sends `datagrams` (from 127.0.0.1) to a fresh nfcapd and returns nfdump's records */
export async function nfdumpDecode(datagrams: readonly Uint8Array[], options: NfdumpOptions): Promise<NfdumpRecord[]> {
  requireTool('nfdump');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const dir = mkdtempSync(join(tmpdir(), 'flowmap-nfcapd-'));
  const args = ['-p', String(options.port), '-b', '127.0.0.1', '-w', dir, '-P', join(dir, 'nfcapd.pid')];
  const child = spawn(requireTool('nfcapd'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = waitForExit(child, `nfcapd ${args.join(' ')}`, timeoutMs);
  exited.catch(() => undefined);
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  try {
    const deadline = Date.now() + timeoutMs;
    while (!log.includes('Startup')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`nfcapd did not start:\n${log}`);
      await sleep(50);
    }
    await sendUdp(datagrams, options.port);
    await sleep(200);
    await stopChild(child, 5000); // SIGTERM makes nfcapd close (flush) its file
    const result = await runTool('nfdump', ['-R', dir, '-o', 'json'], {
      timeoutMs,
      env: { ...process.env, TZ: 'UTC' },
    });
    if (result.code !== 0) throw new Error(`nfdump failed (${result.code}):\n${result.stderr}`);
    const text = result.stdout.trim();
    return text ? (JSON.parse(text) as NfdumpRecord[]) : [];
  } catch (error) {
    await stopChild(child);
    throw new Error(`Cannot decode datagrams with nfdump: ${(error as Error).message}`, { cause: error });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
