/**
 * `npm run bench -- load-generator`: the load generator's achieved send rate (NetFlow v9 and IPFIX) to a local UDP
 * receiver, and how many datagrams the receiver got; plus the demo simulation's cost per simulated second.
 */
import { createSocket } from 'node:dgram';
import { createLoadGenerator } from './load-generator.js';
import { createSimulation } from './simulation.js';

const rx = createSocket({ type: 'udp4', recvBufferSize: 64 * 1024 * 1024 });
let received = 0;
rx.on('message', () => received++);
await new Promise<void>((resolve) => rx.bind(0, '127.0.0.1', () => resolve()));
const durationMs = Number(process.env.BENCH_MS ?? 5000);
for (const version of [9, 10] as const) {
  for (const rate of [100_000, 1_000_000, 5_000_000]) {
    const generator = createLoadGenerator({
      target: { host: '127.0.0.1', port: rx.address().port },
      rate,
      durationMs,
      version,
    });
    const t0 = performance.now();
    generator.prepare();
    const prepareMs = performance.now() - t0;
    received = 0;
    const r = await generator.run();
    await new Promise((resolve) => setTimeout(resolve, 300));
    console.log(
      `bench loadgen v${version === 9 ? 9 : 'IPFIX'} target ${rate}: ${(r.achievedRate / 1e6).toFixed(2)} M records/s sent, ` +
        `${r.packets} datagrams (${received} received), pool ${r.poolRecords} records built in ${prepareMs.toFixed(0)} ms`,
    );
  }
}
rx.close();

const start = Date.UTC(2025, 5, 15, 12, 0, 0);
for (const intensity of [1, 50, 200]) {
  const sim = createSimulation({ seed: 1, start, intensity });
  let records = 0;
  const t0 = performance.now();
  for (let t = start + 100; t <= start + 120_000; t += 100)
    for (const b of sim.step(t).batches) records += b.records.length;
  const ms = performance.now() - t0;
  console.log(
    `bench demo simulation intensity ${intensity}: ${(records / 120).toFixed(0)} records/s simulated, ${((ms / 120_000) * 100).toFixed(1)}% of one core in real time`,
  );
}
