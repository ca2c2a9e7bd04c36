/**
 * The sink's per-flow cost: `observe` of oriented flows into flowmap_edge_* and netflow_connection_* (and, in the
 * second case, two user-defined metrics), 1000 flows per batch over 200 distinct edges. `npm run bench sink`.
 * @module
 */
import { bench } from '../../../scripts/bench-kit.js';
import { prometheusSinkConfig } from './config.js';
import { createPrometheusSink } from './sink.js';
import { orientedFlow, pod } from './testing.js';

const clients = Array.from({ length: 20 }, (_, i) => pod('shop', `client-${i}-pod`, `client-${i}`));
const servers = Array.from({ length: 10 }, (_, i) => pod('shop', `server-${i}-pod`, `server-${i}`));
const batch = Array.from({ length: 1000 }, (_, i) =>
  orientedFlow(clients[i % 20]!, servers[i % 10]!, {
    serverPort: 8000 + (i % 7),
    bytesToServer: i,
    bytesToClient: 2 * i,
  }),
);

const builtIn = createPrometheusSink(prometheusSinkConfig.parse({ processMetrics: false }), { clock: Date.now });
bench('sink observe (edges + seed series)', () => builtIn.observe(batch), { unitsPerRun: batch.length, unit: 'flows' });

const withUser = createPrometheusSink(
  prometheusSinkConfig.parse({
    processMetrics: false,
    flowMetrics: [
      {
        name: 'by_ns_bytes_total',
        type: 'counter',
        valueField: 'bytes',
        labels: ['clientNamespace', 'serverName'],
        filters: [{ field: 'protocol', value: 'TCP' }],
      },
      { name: 'flags_total', type: 'counter', labels: ['tcpFlags'], flatten: ['tcpFlags'] },
    ],
  }),
  { clock: Date.now },
);
bench('sink observe (+ 2 user metrics)', () => withUser.observe(batch), { unitsPerRun: batch.length, unit: 'flows' });
