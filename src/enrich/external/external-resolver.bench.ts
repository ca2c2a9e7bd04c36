/**
 * External naming throughput: public IPv4 addresses through CIDR labels and the embedded ASN table, with the
 * resolver's answer cache and without it; plus the one-time cost of loading the ASN data.
 * Run: `npm run bench external-resolver`.
 */
import { bench } from '../../../scripts/bench-kit.js';
import { createAsnDatabase } from './asn-database.js';
import { createExternalResolver } from './external-resolver.js';

const t0 = performance.now();
const asn = createAsnDatabase();
await asn.load();
console.log(`bench ASN load (IPv4 + IPv6 tables, parse): ${(performance.now() - t0).toFixed(0)} ms`);
const cidrLabels = [{ name: 'corp', cidrs: ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32'] }];
const N = 1 << 14;
// addresses spread over the public IPv4 space (skipping 0/8 and 10/8), 4,096 distinct hosts repeated
const ips = Array.from({ length: N }, (_, i) => (0x0b000000 + Math.imul((i % 4096) + 1, 2654435761)) >>> 0);
for (const [name, cacheSize] of [
  ['external resolve, cached', 65_536],
  ['external resolve, uncached (labels + ASN binary search)', 0],
] as const) {
  const resolver = createExternalResolver({ cidrLabels, cacheSize }, { asn });
  bench(
    name,
    () => {
      let named = 0;
      for (let i = 0; i < N; i++) if (resolver.resolve(ips[i]!).kind === 'external') named++;
      return named;
    },
    { unitsPerRun: N, unit: 'lookups' },
  );
}
