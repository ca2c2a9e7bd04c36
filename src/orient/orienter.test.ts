import { describe, expect, it } from 'vitest';
import type { EnrichedFlow, OrientedFlow } from '../core/conversation.js';
import type { FlowRecord } from '../core/flow.js';
import { formatIp } from '../core/ip.js';
import type { MetadataIndex } from '../enrich/contracts.js';
import { orientConfig } from './config.js';
import { createOrienter, FLUSH_BUDGET, type Orienter } from './orienter.js';
import { createFakeIndex, FLAGS, flushed, rec } from './testing.js';

const index = createFakeIndex({
  pods: [
    { ip: '10.0.0.2', namespace: 'shop', name: 'cart-1', workload: { kind: 'Deployment', name: 'cart' } },
    {
      ip: '10.0.0.3',
      namespace: 'shop',
      name: 'api-1',
      workload: { kind: 'Deployment', name: 'api' },
      ports: [{ port: 8080, ipProtocol: 6 }],
    },
  ],
  services: [{ ip: '10.96.0.10', namespace: 'shop', name: 'db', ports: [{ port: 5432, ipProtocol: 6 }], backends: [] }],
});

function enrich(ix: MetadataIndex, records: readonly FlowRecord[]): EnrichedFlow[] {
  return records.map((flow) => ({
    flow,
    src: ix.lookup(flow.srcAddr, flow.end, flow.srcPort, flow.ipProtocol),
    dst: ix.lookup(flow.dstAddr, flow.end, flow.dstPort, flow.ipProtocol),
  }));
}

function orienter(overrides: Record<string, unknown> = {}): Orienter {
  return createOrienter(orientConfig.parse({ pairingDelayMs: 1000, ...overrides }), { index });
}

/** adds the records at `now` and returns what is ready at `now` */
function push(o: Orienter, records: readonly FlowRecord[], now = 0): OrientedFlow[] {
  o.add(enrich(index, records), now);
  return flushed(o, now);
}

const who = (f: OrientedFlow) =>
  `${formatIp(f.clientAddr)}:${f.clientPort} -> ${formatIp(f.serverAddr)}:${f.serverPort} ${f.evidence}`;

describe('orienter: direction evidence', () => {
  it('tcp-handshake: a SYN-without-ACK record names its source as client, even against the ports', () => {
    const o = orienter();
    const out = push(o, [rec('10.0.0.1:443', '10.0.0.9:50000', { tcpFlags: FLAGS.SYN, packets: 1, bytes: 60 })]);
    expect(out.map(who)).toEqual(['10.0.0.1:443 -> 10.0.0.9:50000 tcp-handshake']);
  });

  it('tcp-handshake: initialTcpFlags SYN+ACK names the record source as the server', () => {
    const o = orienter();
    const out = push(o, [rec('10.0.0.9:50000', '10.0.0.1:443', { tcpFlags: 0x1b, initialTcpFlags: FLAGS.SYN_ACK })]);
    expect(out.map(who)).toEqual(['10.0.0.1:443 -> 10.0.0.9:50000 tcp-handshake']);
  });

  it('cumulative flags (SYN|ACK on both sides) are not a handshake; flow pairing takes the earlier start', () => {
    const o = orienter();
    const out = push(o, [
      rec('10.0.0.2:47000', '10.0.0.1:45000', { tcpFlags: 0x1b, start: 1_005 }),
      rec('10.0.0.1:45000', '10.0.0.2:47000', { tcpFlags: 0x1b, start: 1_000 }),
    ]);
    expect(out.map(who)).toEqual([
      '10.0.0.1:45000 -> 10.0.0.2:47000 flow-pairing',
      '10.0.0.1:45000 -> 10.0.0.2:47000 flow-pairing',
    ]);
    expect(out[0]!.bytesToClient).toBe(1000);
    expect(out[1]!.bytesToServer).toBe(1000);
  });

  it('flow pairing ties fall through to the ports', () => {
    const o = orienter();
    const out = push(o, [
      rec('10.0.0.1:443', '10.0.0.9:40000', { tcpFlags: 0x1b, start: 1_000 }),
      rec('10.0.0.9:40000', '10.0.0.1:443', { tcpFlags: 0x1b, start: 1_000 }),
    ]);
    expect(out.map(who)).toEqual(Array(2).fill('10.0.0.9:40000 -> 10.0.0.1:443 port-heuristic'));
  });

  it('pairingTieMs widens ties', () => {
    const o = orienter({ pairingTieMs: 5 });
    const out = push(o, [
      rec('10.0.0.1:443', '10.0.0.9:40000', { tcpFlags: 0x1b, start: 1_000 }),
      rec('10.0.0.9:40000', '10.0.0.1:443', { tcpFlags: 0x1b, start: 1_003 }),
    ]);
    expect(out[0]!.evidence).toBe('port-heuristic');
  });

  it('a conversation whose handshake was never seen gets its server from ports, not from start times', () => {
    const o = orienter();
    // mid-connection fragments: the server side's fragment happens to start first
    const out = push(o, [
      rec('10.0.0.1:443', '10.0.0.9:51000', { tcpFlags: FLAGS.MIDDLE, start: 1_000 }),
      rec('10.0.0.9:51000', '10.0.0.1:443', { tcpFlags: FLAGS.MIDDLE, start: 1_020 }),
    ]);
    expect(out.map(who)).toEqual(Array(2).fill('10.0.0.9:51000 -> 10.0.0.1:443 port-heuristic'));
  });

  it('a client port lower than the server port: the side declaring its port serves (container-port)', () => {
    const o = orienter();
    const out = push(o, [
      rec('10.0.0.2:1000', '10.0.0.3:8080', { tcpFlags: FLAGS.MIDDLE }),
      rec('10.0.0.3:8080', '10.0.0.2:1000', { tcpFlags: FLAGS.MIDDLE }),
    ]);
    expect(out.map(who)).toEqual(Array(2).fill('10.0.0.2:1000 -> 10.0.0.3:8080 container-port'));
    expect(out[0]!.server.workload?.name).toBe('api');
  });

  it('service-port: a ClusterIP on a Service port serves when no backend view arrives', () => {
    const o = orienter();
    expect(push(o, [rec('10.0.0.2:5432', '10.96.0.10:5432', { tcpFlags: FLAGS.MIDDLE })])).toEqual([]);
    const out = o.flush(30_000) ?? [];
    expect(out.map(who)).toEqual(['10.0.0.2:5432 -> 10.96.0.10:5432 service-port']);
    expect(out[0]!.service).toBeUndefined();
  });

  it('biflow: the forward side initiates (when trusted) unless biflowDirection says otherwise', () => {
    const reverse = { bytes: 5000, packets: 5, tcpFlags: 0x1b };
    const trusted = orienter({ trustBiflowDirection: true });
    const fwd = push(trusted, [rec('10.0.0.1:443', '10.0.0.9:40000', { tcpFlags: 0x1b, reverse })]);
    expect(fwd.map(who)).toEqual(['10.0.0.1:443 -> 10.0.0.9:40000 biflow']);
    expect(fwd[0]).toMatchObject({ bytesToServer: 1000, bytesToClient: 5000, packetsToClient: 5 });

    const back = push(orienter(), [
      rec('10.0.0.9:40000', '10.0.0.1:443', { reverse, biflowDirection: 'reverse-initiator' }),
    ]);
    expect(back.map(who)).toEqual(['10.0.0.1:443 -> 10.0.0.9:40000 biflow']);
    expect(back[0]).toMatchObject({ bytesToServer: 5000, bytesToClient: 1000 });

    const arbitrary = push(orienter(), [
      rec('10.0.0.1:443', '10.0.0.9:40000', { reverse, biflowDirection: 'arbitrary' }),
    ]);
    expect(arbitrary.map(who)).toEqual(['10.0.0.9:40000 -> 10.0.0.1:443 port-heuristic']);

    // by default the forward side means nothing (softflowd -b puts the lower address first)
    const untrusted = push(orienter(), [rec('10.0.0.1:443', '10.0.0.9:40000', { reverse })]);
    expect(untrusted.map(who)).toEqual(['10.0.0.9:40000 -> 10.0.0.1:443 port-heuristic']);
    // both sides' flags show a SYN (a whole handshake): still no order between them in one record
    const handshake = push(orienter(), [rec('10.0.0.1:443', '10.0.0.9:40000', { tcpFlags: 0x1b, reverse })]);
    expect(handshake.map(who)).toEqual(['10.0.0.9:40000 -> 10.0.0.1:443 port-heuristic']);
    const initiator = push(orienter(), [
      rec('10.0.0.1:443', '10.0.0.9:40000', { reverse, biflowDirection: 'initiator' }),
    ]);
    expect(initiator[0]!.evidence).toBe('biflow');
  });

  it('port heuristic on a lone record after the pairing delay; unknown when both ports are ephemeral', () => {
    const o = orienter();
    expect(push(o, [rec('10.0.0.9:5432', '10.0.0.1:53000')])).toEqual([]);
    expect(push(o, [rec('10.0.0.9:40001', '10.0.0.1:50001')], 500)).toEqual([]);
    expect((o.flush(999) ?? []).length).toBe(0);
    expect((o.flush(1_000) ?? []).map(who)).toEqual(['10.0.0.1:53000 -> 10.0.0.9:5432 port-heuristic']);
    expect((o.flush(1_500) ?? []).map(who)).toEqual(['10.0.0.9:40001 -> 10.0.0.1:50001 unknown']);
  });

  it('UDP pairs on start times; ICMP echo requests name their source', () => {
    const udp = push(orienter(), [
      rec('10.0.0.9:5353', '10.0.0.1:40000', { ipProtocol: 17, tcpFlags: 0, start: 2_000 }),
      rec('10.0.0.1:40000', '10.0.0.9:5353', { ipProtocol: 17, tcpFlags: 0, start: 1_990 }),
    ]);
    expect(udp.map(who)).toEqual(Array(2).fill('10.0.0.1:40000 -> 10.0.0.9:5353 flow-pairing'));
    const o = orienter();
    push(o, [rec('10.0.0.9:0', '10.0.0.1:2048', { ipProtocol: 1, tcpFlags: 0 })]);
    expect((o.flush(1_000) ?? []).map(who)).toEqual(['10.0.0.9:0 -> 10.0.0.1:0 port-heuristic']);
    const v6 = orienter();
    push(v6, [rec('[fd00::9]:0', '[fd00::1]:33024', { ipProtocol: 58, tcpFlags: 0 })]); // type 129: echo reply
    expect((v6.flush(1_000) ?? []).map(who)).toEqual(['fd00::1:0 -> fd00::9:0 port-heuristic']);
  });

  it('remembers the decision: later fragments from any exporter follow it', () => {
    const o = orienter();
    const first = push(o, [rec('10.0.0.1:40000', '10.0.0.9:8443', { tcpFlags: FLAGS.SYN })]);
    expect(first[0]!.evidence).toBe('tcp-handshake');
    // a later active-timeout fragment of the reverse direction whose ports alone would say otherwise
    const later = push(o, [rec('10.0.0.9:8443', '10.0.0.1:40000', { exporter: '192.0.2.7', start: 60_000 })], 60_000);
    expect(later.map(who)).toEqual(['10.0.0.1:40000 -> 10.0.0.9:8443 tcp-handshake']);
    expect(later[0]!.bytesToClient).toBe(1000);
  });

  it('records wait for their reverse, then leave together in arrival order', () => {
    const o = orienter();
    expect(push(o, [rec('10.0.0.9:8443', '10.0.0.1:40000', { start: 10 })])).toEqual([]);
    expect(o.stats().pendingRecords).toBe(1);
    const out = push(o, [rec('10.0.0.1:40000', '10.0.0.9:8443', { start: 20 })], 100);
    expect(out.map((f) => f.start)).toEqual([10, 20]);
    expect(o.stats()).toMatchObject({ pendingRecords: 0, in: 2, out: 2 });
  });

  it('maxPendingRecords decides the oldest conversations early', () => {
    const o = orienter({ maxPendingRecords: 2 });
    push(o, [
      rec('10.0.0.9:8443', '10.0.0.1:40000'),
      rec('10.0.0.9:8443', '10.0.0.1:40001'),
      rec('10.0.0.9:8443', '10.0.0.1:40002'),
    ]);
    expect(o.stats()).toMatchObject({ forcedDecisions: 1, pendingRecords: 2 });
  });

  it('counts decisions by evidence', () => {
    const o = orienter();
    push(o, [rec('10.0.0.1:40000', '10.0.0.9:80', { tcpFlags: FLAGS.SYN })]);
    push(o, [rec('10.0.0.1:40001', '10.0.0.9:80')]);
    o.flush(5_000, true);
    expect(o.stats().decided).toMatchObject({ 'tcp-handshake': 1, 'port-heuristic': 1 });
  });
});

describe('orienter: bounded flushes', () => {
  const oneSided = (n: number) =>
    Array.from({ length: n }, (_, i) => rec(`10.0.0.9:${20_000 + i}`, '10.0.0.1:443', { tcpFlags: 0x18 }));

  it('a burst of deadlines is emitted FLUSH_BUDGET records per call, the rest on the next calls', () => {
    const o = orienter();
    expect(push(o, oneSided(FLUSH_BUDGET + 3_616))).toEqual([]);
    const sizes = [1_001, 1_002, 1_003].map((now) => o.flush(now)?.length);
    expect(sizes).toEqual([FLUSH_BUDGET, 3_616, undefined]);
    expect(o.stats().decided['port-heuristic']).toBe(FLUSH_BUDGET + 3_616);
  });

  it('a final flush emits everything at once', () => {
    const o = orienter();
    push(o, oneSided(FLUSH_BUDGET + 10));
    expect(o.flush(1_001, true)?.length).toBe(FLUSH_BUDGET + 10);
  });
});

describe('orienter: flow objects', () => {
  it('rewrites the flows of a returned batch for its next batch (valid until the next add or flush)', () => {
    const o = orienter();
    o.add(enrich(index, [rec('10.0.0.1:50000', '10.0.0.9:443', { tcpFlags: FLAGS.SYN })]), 0);
    const first = o.flush(0)!;
    const kept = first[0]!;
    expect(who(kept)).toBe('10.0.0.1:50000 -> 10.0.0.9:443 tcp-handshake');
    o.add(enrich(index, [rec('10.0.0.2:50001', '10.0.0.9:8080', { tcpFlags: FLAGS.SYN })]), 0);
    const second = o.flush(0)!;
    expect(second[0]).toBe(kept); // no object allocated per record
    expect(who(kept)).toBe('10.0.0.2:50001 -> 10.0.0.9:8080 tcp-handshake');
  });
});
