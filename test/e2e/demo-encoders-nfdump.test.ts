/**
 * The demo's encoders against a second independent decoder: nfcapd receives our NetFlow v9 and IPFIX packets over
 * UDP, nfdump prints what it stored, and every record must match what we encoded (absolute times to the ms).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatIp } from '../../src/core/ip.js';
import { createIpfixEncoder, createNetflowV9Encoder, type ExportRecord } from '../../src/demo/encode/index.js';
import { createRandom } from '../../src/demo/random.js';
import { describeWithPrograms } from './demo-tools.js';

const PORT = 27555;
const dir = mkdtempSync(join(tmpdir(), 'flowmap-demo-nfcapd-'));
let nfcapd: ChildProcess | undefined;
afterAll(() => {
  nfcapd?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function records(seed: number, count: number, now: number): ExportRecord[] {
  const r = createRandom(seed);
  return Array.from({ length: count }, () => {
    const start = now - r.int(1000, 300_000);
    const tcp = r.chance(0.7);
    return {
      srcAddr: r.int(0x0af40000, 0x0af4ffff),
      dstAddr: r.int(0x0a600000, 0x0a60ffff),
      srcPort: r.int(32768, 60999),
      dstPort: r.pick([53, 80, 443, 6379, 7070, 8080, 9100]),
      ipProtocol: tcp ? 6 : 17,
      tcpFlags: tcp ? r.pick([0x02, 0x12, 0x18, 0x1b, 0x11]) : 0,
      bytes: r.int(40, 2 ** 31),
      packets: r.int(1, 2 ** 20),
      start,
      end: start + r.int(0, 60_000),
    };
  });
}

const FLAG_CHARS = 'FSRPAUEC';
function flagsText(flags: number): string {
  // nfdump prints "CEUAPRSF" positions, dots for unset bits
  return [7, 6, 5, 4, 3, 2, 1, 0].map((bit) => (flags & (1 << bit) ? FLAG_CHARS[bit] : '.')).join('');
}

describeWithPrograms(['nfcapd', 'nfdump'], 'demo encoders decoded by nfcapd and nfdump over UDP', () => {
  const now = Date.now() - 5000;
  const v9Records = records(21, 150, now);
  const ipfixRecords = records(22, 150, now);

  beforeAll(async () => {
    nfcapd = spawn('nfcapd', ['-p', String(PORT), '-b', '127.0.0.1', '-w', dir, '-t', '3600'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 800));
    const socket = createSocket('udp4');
    const send = (p: Uint8Array) => new Promise((r) => socket.send(p, PORT, '127.0.0.1', r));
    const v9 = createNetflowV9Encoder({ domainId: 7, bootTime: now - 7 * 86_400_000 - 321 });
    const ipfix = createIpfixEncoder({ domainId: 8 });
    for (let i = 0; i < 150; i += 50) {
      for (const p of v9.encode(v9Records.slice(i, i + 50), now + i)) await send(p);
      for (const p of ipfix.encode(ipfixRecords.slice(i, i + 50), now + i)) await send(p);
    }
    socket.close();
    await new Promise((r) => setTimeout(r, 500));
    const exited = new Promise((r) => nfcapd!.once('exit', r));
    nfcapd!.kill('SIGTERM');
    await exited;
    nfcapd = undefined;
  });

  it('stores every record with the fields we encoded', () => {
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('nfcapd.')) : [];
    expect(files.length).toBeGreaterThan(0);
    const text = execFileSync('nfdump', ['-R', dir, '-o', 'json'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, TZ: 'UTC' },
    });
    const flows = JSON.parse(text) as Record<string, string | number>[];
    const bySysId = new Map<number, Record<string, string | number>[]>();
    for (const f of flows) bySysId.set(Number(f.export_sysid), [...(bySysId.get(Number(f.export_sysid)) ?? []), f]);
    expect([...bySysId.values()].map((v) => v.length).sort()).toEqual([150, 150]);
    const asText = (r: ExportRecord) =>
      [
        formatIp(r.srcAddr),
        formatIp(r.dstAddr),
        r.srcPort,
        r.dstPort,
        r.ipProtocol,
        r.bytes,
        r.packets,
        flagsText(r.tcpFlags),
        r.start,
        r.end,
      ].join(' ');
    const fromNfdump = (f: Record<string, string | number>) =>
      [
        f.src4_addr,
        f.dst4_addr,
        f.src_port,
        f.dst_port,
        f.proto,
        f.in_bytes,
        f.in_packets,
        f.tcp_flags,
        Date.parse(`${f.first}Z`),
        Date.parse(`${f.last}Z`),
      ].join(' ');
    const got = flows.map(fromNfdump).sort();
    const expected = [...v9Records, ...ipfixRecords].map(asText).sort();
    expect(got).toEqual(expected);
  });
});
