/**
 * The traffic engine: turns call patterns into conversations on the simulated cluster, step by step in simulated
 * time. Service calls resolve through CoreDNS and are DNATed to a ready backend; pooled connections are reused
 * until they age out or a side goes away; some pooled connections were already open when the simulation began.
 * Deterministic for a seed and the same sequence of `step` calls. Not shared between threads.
 * @module
 */
import type { SimPod, SimulatedCluster } from '../cluster/index.js';
import { createRandom, type Random } from '../random.js';
import {
  type Activity,
  type Connection,
  close,
  coalesce,
  datagrams,
  exchange,
  handshake,
  type Party,
} from './connection.js';
import { type CallPattern, DEFAULT_PATTERNS, DEMO_EXTERNALS } from './patterns.js';

export interface TrafficEngineOptions {
  readonly cluster: SimulatedCluster;
  readonly seed: number;
  /** simulated time traffic starts at, epoch ms */
  readonly start: number;
  readonly patterns?: readonly CallPattern[];
  /** multiplies every non-fixed rate (default 1) */
  readonly intensity?: number;
  /** start with some pooled connections already open, their handshakes unseen (default true) */
  readonly preopened?: boolean;
}

export interface TrafficEngine {
  /** the activities of [previous step end, to), sorted by time */
  step(to: number): Activity[];
  /** closes every open connection at `at` (end of the simulation) */
  closeAll(at: number): Activity[];
  intensity: number;
  readonly now: number;
  readonly openConnections: number;
}

interface Pending {
  readonly first: Activity[];
  readonly rest: Activity[][];
}

interface Stream {
  nextAt: number;
  readonly random: Random;
}

const alive = (pod: SimPod) => pod.phase === 'Running' && !pod.terminating;
const EPHEMERAL = [32768, 60999] as const;

export function createTrafficEngine(options: TrafficEngineOptions): TrafficEngine {
  const { cluster } = options;
  const patterns = options.patterns ?? DEFAULT_PATTERNS;
  const random = createRandom(options.seed).fork('traffic');
  const streams = new Map<string, Stream>();
  const pool = new Map<string, Connection>();
  let now = options.start;
  let nextId = 1;
  let out: Activity[] = [];
  let first = options.preopened !== false;
  let intensity = options.intensity ?? 1;

  const podParty = (pod: SimPod): Party => ({ kind: 'pod', pod });
  // like the kernel, a client does not reuse a source port soon: ports advance by small random steps per address
  const lastPort = new Map<string, number>();
  // nor does it pick a port a socket of the same pod listens on (its declared container ports)
  const ephemeralPort = (ip: string, listening: readonly { readonly port: number }[]) => {
    const span = EPHEMERAL[1] - EPHEMERAL[0] + 1;
    let next = lastPort.get(ip) ?? random.int(0, span - 1);
    do next = (next + random.int(1, 7)) % span;
    while (listening.some((p) => p.port === EPHEMERAL[0] + next));
    lastPort.set(ip, next);
    return EPHEMERAL[0] + next;
  };
  const rtt = (external: boolean) => (external ? random.int(20, 40) : random.int(1, 2));
  const bytes = (median: number) => Math.max(1, Math.round(random.logNormal(median, 0.6)));

  const dns = (client: SimPod, at: number, external: boolean) => {
    const kubeDns = cluster.service('kube-system/kube-dns');
    const backends = kubeDns
      ? cluster.workloadPods(`${kubeDns.namespace}/${kubeDns.workload.name}`).filter((p) => alive(p) && p.ready)
      : [];
    if (!kubeDns || backends.length === 0) return;
    const coredns = random.pick(backends);
    const conn = open(podParty(client), podParty(coredns), 17, at, 0, { service: kubeDns, port: 53 }, true, 53);
    out.push(...datagrams(conn, at, 2, 40, 110, random.int(1, 3)));
    conn.closed = true;
    if (external && random.chance(0.3)) {
      const up: Party = { kind: 'external', ip: DEMO_EXTERNALS.upstreamDns.ip };
      const fwd = open(podParty(coredns), up, 17, at + 1, 0, undefined, true, 53);
      out.push(...datagrams(fwd, at + 1, 1, 40, 120, random.int(8, 20)));
      fwd.closed = true;
    }
  };

  function open(
    client: Party,
    server: Party,
    ipProtocol: number,
    at: number,
    reuseMs: number,
    via: { service: NonNullable<Connection['service']>['service']; port: number } | undefined,
    withHandshake: boolean,
    serverPort: number,
  ): Connection {
    const clientIp = client.kind === 'pod' ? client.pod.ip : client.ip;
    const serverIp = server.kind === 'pod' ? server.pod.ip : server.ip;
    return {
      id: nextId++,
      ipProtocol,
      client,
      server,
      clientIp,
      clientPort: ephemeralPort(clientIp, client.kind === 'pod' ? client.pod.workload.ports : []),
      serverIp,
      serverPort,
      ...(via ? { service: { service: via.service, ip: via.service.clusterIP, port: via.port } } : {}),
      opened: at,
      handshake: withHandshake,
      expiresAt: at + reuseMs * (0.5 + random.next()),
      closed: false,
    };
  }

  /** picks the server side of a new connection; undefined when there is no ready backend */
  const resolve = (p: CallPattern, target: SimPod | undefined) => {
    const to = p.to;
    if (to.kind === 'external')
      return { server: { kind: 'external', ip: to.ip } as Party, port: to.port, via: undefined };
    if (to.kind === 'pods') {
      const port = target?.workload.ports.find((x) => x.name === to.portName)?.port;
      return target && port ? { server: podParty(target), port, via: undefined } : undefined;
    }
    const service = cluster.service(to.service);
    const sp = service?.spec.ports.find((x) => x.port === to.port && x.protocol === p.protocol);
    if (!service || !sp) return undefined;
    const ready = cluster
      .workloadPods(`${service.namespace}/${service.workload.name}`)
      .filter((b) => alive(b) && b.ready);
    if (ready.length === 0) return undefined;
    return { server: podParty(random.pick(ready)), port: sp.targetPort, via: { service, port: to.port } };
  };

  const connect = (p: CallPattern, client: SimPod, target: SimPod | undefined, at: number, preopened: boolean) => {
    const resolved = resolve(p, target);
    if (!resolved) return undefined;
    const external = p.to.kind === 'external';
    let t = at;
    if (!preopened && p.to.kind !== 'pods') {
      dns(client, t, external);
      t += random.int(1, 3);
    }
    const proto = p.protocol === 'TCP' ? 6 : 17;
    const since = preopened ? at - random.int(0, Math.floor(p.reuseMs / 2)) : t;
    const conn = open(
      podParty(client),
      resolved.server,
      proto,
      since,
      p.reuseMs,
      resolved.via,
      !preopened,
      resolved.port,
    );
    if (!preopened && proto === 6) out.push(...handshake(conn, t, rtt(external)));
    return conn;
  };

  const finish = (conn: Connection, at: number) => {
    if (conn.closed) return;
    conn.closed = true;
    if (conn.ipProtocol === 6) out.push(...close(conn, at, rtt(conn.server.kind === 'external')));
  };

  /** requests on a pooled connection within one step are coalesced: first and last of each direction */
  const pending = new Map<Connection, Pending>();

  const request = (p: CallPattern, key: string, client: SimPod, target: SimPod | undefined, at: number) => {
    let conn = pool.get(key);
    if (!conn || conn.closed) {
      conn = connect(p, client, target, at, false);
      if (!conn) return;
      if (p.reuseMs > 0) pool.set(key, conn);
    }
    const start = Math.max(at, conn.opened + 3);
    const latency = Math.max(1, Math.round(random.logNormal(p.latencyMs, 0.5)));
    const requestBytes = bytes(p.requestBytes);
    const responseBytes = bytes(p.responseBytes);
    if (p.reuseMs === 0) {
      out.push(...exchange(conn, start, requestBytes, responseBytes, latency));
      finish(conn, start + latency + 1);
      return;
    }
    const acts = exchange(conn, start, requestBytes, responseBytes, latency);
    let acc = pending.get(conn);
    if (!acc) {
      acc = { first: acts, rest: [] };
      pending.set(conn, acc);
    } else acc.rest.push(acts);
  };

  const flushPending = () => {
    for (const [conn, acc] of pending) out.push(...coalesce(conn, acc.first, acc.rest));
    pending.clear();
  };

  const sweep = (at: number) => {
    const live = new Set(cluster.pods().filter(alive));
    for (const [key, conn] of pool) {
      const gone = (party: Party) => party.kind === 'pod' && !live.has(party.pod);
      const serverGone = conn.server.kind === 'pod' && (gone(conn.server) || !conn.server.pod.ready);
      if (conn.closed || gone(conn.client) || serverGone || at >= conn.expiresAt) {
        finish(conn, at);
        pool.delete(key);
      }
    }
  };

  const targetsOf = (p: CallPattern): (SimPod | undefined)[] => {
    const to = p.to;
    if (to.kind !== 'pods') return [undefined];
    return to.workloads.flatMap((w) => cluster.workloadPods(w).filter((pod) => alive(pod) && pod.ready));
  };

  const run = (to: number) => {
    const touched = new Set<string>();
    patterns.forEach((p, index) => {
      const rate = p.fixedRate ? p.rate : p.rate * intensity;
      if (rate <= 0) return;
      const clients = cluster.workloadPods(p.from).filter(alive);
      const base = p.connectionsPerClient ?? 1;
      const slots = Math.max(1, Math.round(p.scaleConnections ? base * intensity : base));
      const targets = targetsOf(p);
      for (const client of clients) {
        for (const target of targets) {
          const key = `${index}|${client.name}|${target?.name ?? ''}`;
          touched.add(key);
          let stream = streams.get(key);
          if (!stream) {
            const r = random.fork(key);
            stream = { random: r, nextAt: now + r.exponential(1000 / rate) };
            streams.set(key, stream);
            if (first && p.reuseMs >= 60_000 && r.chance(0.5)) {
              const conn = connect(p, client, target, now, true);
              if (conn) pool.set(slots > 1 ? `${key}|0` : key, conn);
            }
          }
          while (stream.nextAt < to) {
            const slot = slots > 1 ? `|${stream.random.int(0, slots - 1)}` : '';
            request(p, key + slot, client, target, Math.floor(stream.nextAt));
            stream.nextAt += p.fixedRate ? 1000 / rate : stream.random.exponential(1000 / rate);
          }
        }
      }
    });
    for (const key of streams.keys()) if (!touched.has(key)) streams.delete(key);
  };

  return {
    get intensity() {
      return intensity;
    },
    set intensity(value: number) {
      intensity = value;
    },
    get now() {
      return now;
    },
    get openConnections() {
      return pool.size;
    },
    step(to: number) {
      out = [];
      sweep(now);
      run(to);
      flushPending();
      first = false;
      now = to;
      return out.sort((a, b) => a.at - b.at);
    },
    closeAll(at: number) {
      out = [];
      flushPending();
      for (const conn of pool.values()) finish(conn, at);
      pool.clear();
      return out.sort((a, b) => a.at - b.at);
    },
  };
}
