/**
 * The load generator: precomputed NetFlow v9 (ipt_NETFLOW) or IPFIX packets of the demo's traffic, replayed over UDP
 * at a paced rate of flow records per second, with fresh headers and times on every pass. For benchmarks and
 * `flowmap loadgen` / `flowmap demo --rate N --no-ui`. One generator runs at a time per instance.
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import { type Clock, systemClock } from '../core/clock.js';
import { type LoadGeneratorConfig, type LoadGeneratorConfigInput, loadGeneratorConfig } from './config.js';
import { buildReplayPool, type ReplayPool, stamp } from './replay-pool.js';

export interface LoadGeneratorReport {
  readonly version: 9 | 10;
  readonly targetRate: number;
  readonly records: number;
  readonly packets: number;
  readonly bytes: number;
  readonly durationMs: number;
  /** records per second actually sent */
  readonly achievedRate: number;
  readonly sendErrors: number;
  /** distinct records in the replayed pool */
  readonly poolRecords: number;
}

export interface LoadGenerator {
  readonly config: LoadGeneratorConfig;
  /** builds the packet pool (also done by the first `run`) */
  prepare(): ReplayPool;
  /** sends for `durationMs` (or until `signal` aborts) and reports what was sent */
  run(signal?: AbortSignal): Promise<LoadGeneratorReport>;
}

const MAX_IN_FLIGHT = 2048;

export function createLoadGenerator(input: LoadGeneratorConfigInput = {}, deps: { clock?: Clock } = {}): LoadGenerator {
  const config = loadGeneratorConfig.parse(input);
  const clock = deps.clock ?? systemClock;
  let pool: ReplayPool | undefined;

  const prepare = () => {
    pool ??= buildReplayPool({
      version: config.version,
      records: config.records,
      exporters: config.exporters,
      seed: config.seed,
      now: clock(),
    });
    return pool;
  };

  const open = async (): Promise<Socket[]> => {
    const family = config.target.host.includes(':') ? 'udp6' : 'udp4';
    const sockets: Socket[] = [];
    for (let i = 0; i < config.exporters; i++) {
      const socket = createSocket({ type: family, sendBufferSize: 8 * 1024 * 1024 });
      await new Promise<void>((resolve) => socket.bind(0, resolve));
      sockets.push(socket);
    }
    return sockets;
  };

  return {
    config,
    prepare,
    async run(signal) {
      const p = prepare();
      const sockets = await open();
      const sequences = new Array<number>(config.exporters).fill(0);
      let records = 0;
      let packets = 0;
      let bytes = 0;
      let errors = 0;
      let inFlight = 0;
      let next = 0;
      const started = clock();
      const deadline = started + config.durationMs;
      await new Promise<void>((resolve) => {
        const pump = () => {
          const now = clock();
          if (now >= deadline || signal?.aborted) return resolve();
          const due = ((now - started) * config.rate) / 1000;
          let budget = 512;
          while (records < due && inFlight < MAX_IN_FLIGHT && budget-- > 0) {
            const packet = p.packets[next]!;
            next = (next + 1) % p.packets.length;
            const seq = sequences[packet.exporter]!;
            stamp(p, packet, now, seq);
            sequences[packet.exporter] = p.version === 9 ? seq + 1 : seq + packet.records;
            inFlight++;
            sockets[packet.exporter]!.send(packet.bytes, config.target.port, config.target.host, (error) => {
              inFlight--;
              if (error) errors++;
            });
            records += packet.records;
            packets++;
            bytes += packet.bytes.length;
          }
          if (records >= due) setTimeout(pump, 1);
          else setImmediate(pump);
        };
        pump();
      });
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 1));
      const durationMs = Math.max(1, clock() - started);
      await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      return {
        version: p.version,
        targetRate: config.rate,
        records,
        packets,
        bytes,
        durationMs,
        achievedRate: (records * 1000) / durationMs,
        sendErrors: errors,
        poolRecords: p.records,
      };
    },
  };
}
