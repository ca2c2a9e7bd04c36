/**
 * The kernel's own UDP counters for our sockets: per-socket `drops` and `rx_queue` from /proc/net/udp{,6}, and the
 * network namespace's RcvbufErrors from /proc/net/snmp{,6}. Parsing is pure; reading is async and never throws
 * (a missing file, e.g. on non-Linux, reads as nothing).
 * @module
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** counters of the UDP sockets bound to one local port (IPv4 and IPv6 summed) */
export interface PortSocketStats {
  /** datagrams the kernel dropped for these sockets (receive buffer full, checksum, ...) */
  readonly drops: number;
  /** bytes waiting in the receive buffers */
  readonly rxQueueBytes: number;
  readonly sockets: number;
}

/**
 * Sums `drops` and `rx_queue` per local port over /proc/net/udp or /proc/net/udp6 text, for the ports asked.
 * Lines look like: `sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref
 * pointer drops` with `local_address` as `HEXADDR:HEXPORT`.
 */
export function parseProcNetUdp(text: string, ports: ReadonlySet<number>, into: Map<number, PortSocketStats>): void {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const cols = lines[i]!.trim().split(/\s+/);
    if (cols.length < 13) continue;
    const local = cols[1]!;
    const port = Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    if (!ports.has(port)) continue;
    const rxQueue = Number.parseInt(cols[4]!.split(':')[1] ?? '0', 16);
    const drops = Number(cols[12]);
    const prev = into.get(port) ?? { drops: 0, rxQueueBytes: 0, sockets: 0 };
    into.set(port, {
      drops: prev.drops + (Number.isFinite(drops) ? drops : 0),
      rxQueueBytes: prev.rxQueueBytes + (Number.isFinite(rxQueue) ? rxQueue : 0),
      sockets: prev.sockets + 1,
    });
  }
}

/** reads one counter from /proc/net/snmp ("Udp: ... RcvbufErrors" header/value line pairs) or snmp6 ("Udp6RcvbufErrors N") */
export function parseSnmpCounter(text: string, table: string, counter: string): number | undefined {
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    const header = lines[i]!.trim().split(/\s+/);
    if (header[0] === `${table}:`) {
      const values = lines[i + 1]!.trim().split(/\s+/);
      if (values[0] !== `${table}:`) continue;
      const at = header.indexOf(counter);
      return at > 0 && values[at] !== undefined ? Number(values[at]) : undefined;
    }
    if (header[0] === `${table}${counter}` && header[1] !== undefined) return Number(header[1]);
  }
  return undefined;
}

export interface KernelUdpStats {
  readonly byPort: ReadonlyMap<number, PortSocketStats>;
  /** RcvbufErrors of the whole network namespace (IPv4 + IPv6), not only ours; undefined when unreadable */
  readonly rcvbufErrors: number | undefined;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** reads the kernel's UDP counters for `ports` under `procRoot` (normally "/proc") */
export async function readKernelUdpStats(procRoot: string, ports: ReadonlySet<number>): Promise<KernelUdpStats> {
  const [udp, udp6, snmp, snmp6] = await Promise.all([
    readText(join(procRoot, 'net/udp')),
    readText(join(procRoot, 'net/udp6')),
    readText(join(procRoot, 'net/snmp')),
    readText(join(procRoot, 'net/snmp6')),
  ]);
  const byPort = new Map<number, PortSocketStats>();
  if (udp) parseProcNetUdp(udp, ports, byPort);
  if (udp6) parseProcNetUdp(udp6, ports, byPort);
  const v4 = snmp ? parseSnmpCounter(snmp, 'Udp', 'RcvbufErrors') : undefined;
  const v6 = snmp6 ? parseSnmpCounter(snmp6, 'Udp6', 'RcvbufErrors') : undefined;
  const rcvbufErrors = v4 === undefined && v6 === undefined ? undefined : (v4 ?? 0) + (v6 ?? 0);
  return { byPort, rcvbufErrors };
}
