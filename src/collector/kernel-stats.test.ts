import { describe, expect, it } from 'vitest';
import { parseProcNetUdp, parseSnmpCounter } from './kernel-stats.js';

// the layout of Linux /proc/net/udp and /proc/net/udp6 (port 0x0807 = 2055, 0x1283 = 4739)
const UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  212: 00000000:0807 00000000:0000 07 00000000:00002200 00:00000000 00000000     0        0 28394 2 0000000000000000 17
  213: 0100007F:1283 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 28395 2 0000000000000000 0
  998: 0100007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 18001 2 0000000000000000 5
`;
const UDP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  212: 00000000000000000000000000000000:0807 00000000000000000000000000000000:0000 07 00000000:00000100 00:00000000 00000000     0        0 28396 2 0000000000000000 3
`;
const SNMP = `Ip: Forwarding DefaultTTL
Ip: 1 64
Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
Udp: 125 0 20 126 20 0 0 0 0
UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
UdpLite: 0 0 0 0 0 0 0 0 0
`;

describe('parseProcNetUdp()', () => {
  it('sums drops and queued bytes of IPv4 and IPv6 sockets on our ports only', () => {
    const byPort = new Map();
    parseProcNetUdp(UDP, new Set([2055, 4739]), byPort);
    parseProcNetUdp(UDP6, new Set([2055, 4739]), byPort);
    expect(byPort.get(2055)).toEqual({ drops: 20, rxQueueBytes: 0x2200 + 0x100, sockets: 2 });
    expect(byPort.get(4739)).toEqual({ drops: 0, rxQueueBytes: 0, sockets: 1 });
    expect(byPort.has(53)).toBe(false);
  });
});

describe('parseSnmpCounter()', () => {
  it('reads a column of the header/value table form and the snmp6 name/value form', () => {
    expect(parseSnmpCounter(SNMP, 'Udp', 'RcvbufErrors')).toBe(20);
    expect(parseSnmpCounter(SNMP, 'UdpLite', 'InDatagrams')).toBe(0);
    expect(parseSnmpCounter('Udp6InDatagrams  7\nUdp6RcvbufErrors \t 4\n', 'Udp6', 'RcvbufErrors')).toBe(4);
    expect(parseSnmpCounter(SNMP, 'Udp', 'Nope')).toBeUndefined();
  });
});
