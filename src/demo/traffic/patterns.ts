/**
 * Who calls whom in the simulated cluster, how often and how much: the Online Boutique call graph, DNS, Prometheus
 * scrapes, the CronJob's backup, and a few external calls. Pure data.
 * @module
 */

/** where a call goes: a Service (DNAT to a ready backend), pods directly (scrapes), or an external address */
export type CallTarget =
  | { readonly kind: 'service'; readonly service: string; readonly port: number }
  | { readonly kind: 'pods'; readonly workloads: readonly string[]; readonly portName: string }
  | { readonly kind: 'external'; readonly ip: string; readonly port: number };

export interface CallPattern {
  /** client workload, "namespace/name" */
  readonly from: string;
  readonly to: CallTarget;
  readonly protocol: 'TCP' | 'UDP';
  /** requests per second per client pod at intensity 1 (for `pods` targets: per target pod, fixed) */
  readonly rate: number;
  /** median request and response payload bytes; log-normal spread 0.6 */
  readonly requestBytes: number;
  readonly responseBytes: number;
  /** median server time before the response, ms */
  readonly latencyMs: number;
  /** keep the connection open and reuse it for this long (gRPC, keep-alive, pools); 0: one connection per request */
  readonly reuseMs: number;
  /** pooled connections each client keeps (default 1); with `scaleConnections` multiplied by the intensity (users) */
  readonly connectionsPerClient?: number;
  readonly scaleConnections?: boolean;
  /** scrape-like calls are not scaled by the demo's intensity */
  readonly fixedRate?: boolean;
}

/** the external endpoints the demo calls, with the CIDR labels a flowmap config should give them */
export const DEMO_EXTERNALS = {
  paymentGateway: { ip: '203.0.113.10', label: 'payment-gateway', cidr: '203.0.113.0/24' },
  backupStorage: { ip: '52.216.8.5', label: 's3-backups', cidr: '52.216.0.0/15' },
  upstreamDns: { ip: '1.1.1.1' },
} as const;

/** CIDR labels for flowmap's external naming (NetObserv-style `{ name, cidrs }`) matching DEMO_EXTERNALS */
export const DEMO_CIDR_LABELS: readonly { readonly name: string; readonly cidrs: readonly string[] }[] = [
  { name: DEMO_EXTERNALS.paymentGateway.label, cidrs: [DEMO_EXTERNALS.paymentGateway.cidr] },
  { name: DEMO_EXTERNALS.backupStorage.label, cidrs: [DEMO_EXTERNALS.backupStorage.cidr] },
];

const grpc = (from: string, service: string, port: number, rate: number, req = 300, resp = 900): CallPattern => ({
  from,
  to: { kind: 'service', service, port },
  protocol: 'TCP',
  rate,
  requestBytes: req,
  responseBytes: resp,
  latencyMs: 4,
  reuseMs: 180_000,
});

const SHOP_METRICS = [
  'shop/frontend',
  'shop/cartservice',
  'shop/productcatalogservice',
  'shop/currencyservice',
  'shop/paymentservice',
  'shop/shippingservice',
  'shop/emailservice',
  'shop/checkoutservice',
  'shop/recommendationservice',
  'shop/adservice',
];

const scrape = (workloads: readonly string[], portName: string, resp: number): CallPattern => ({
  from: 'monitoring/prometheus',
  to: { kind: 'pods', workloads, portName },
  protocol: 'TCP',
  rate: 1 / 15,
  requestBytes: 250,
  responseBytes: resp,
  latencyMs: 8,
  reuseMs: 600_000,
  fixedRate: true,
});

/** the default traffic of the demo cluster */
export const DEFAULT_PATTERNS: readonly CallPattern[] = [
  {
    from: 'shop/loadgenerator',
    to: { kind: 'service', service: 'shop/frontend', port: 80 },
    protocol: 'TCP',
    rate: 3,
    requestBytes: 450,
    responseBytes: 9000,
    latencyMs: 25,
    reuseMs: 15_000,
    connectionsPerClient: 2,
    scaleConnections: true,
  },
  grpc('shop/frontend', 'shop/productcatalogservice', 3550, 5, 200, 2500),
  grpc('shop/frontend', 'shop/currencyservice', 7000, 4, 150, 400),
  grpc('shop/frontend', 'shop/cartservice', 7070, 2),
  grpc('shop/frontend', 'shop/recommendationservice', 8080, 1),
  grpc('shop/frontend', 'shop/adservice', 9555, 1, 150, 600),
  grpc('shop/frontend', 'shop/checkoutservice', 5050, 0.2, 600, 800),
  grpc('shop/frontend', 'shop/shippingservice', 50051, 0.5),
  grpc('shop/checkoutservice', 'shop/paymentservice', 50051, 0.2),
  grpc('shop/checkoutservice', 'shop/shippingservice', 50051, 0.4),
  grpc('shop/checkoutservice', 'shop/emailservice', 5000, 0.2, 1500, 100),
  grpc('shop/checkoutservice', 'shop/currencyservice', 7000, 0.6, 150, 400),
  grpc('shop/checkoutservice', 'shop/cartservice', 7070, 0.4),
  grpc('shop/checkoutservice', 'shop/productcatalogservice', 3550, 0.6, 200, 2500),
  grpc('shop/recommendationservice', 'shop/productcatalogservice', 3550, 1, 200, 2500),
  {
    from: 'shop/cartservice',
    to: { kind: 'service', service: 'shop/redis-cart', port: 6379 },
    protocol: 'TCP',
    rate: 3,
    requestBytes: 120,
    responseBytes: 350,
    latencyMs: 1,
    reuseMs: 300_000,
    connectionsPerClient: 3,
  },
  {
    from: 'shop/paymentservice',
    to: { kind: 'external', ip: DEMO_EXTERNALS.paymentGateway.ip, port: 443 },
    protocol: 'TCP',
    rate: 0.2,
    requestBytes: 3500,
    responseBytes: 5200,
    latencyMs: 120,
    reuseMs: 0,
  },
  {
    from: 'ops/redis-backup',
    to: { kind: 'service', service: 'shop/redis-cart', port: 6379 },
    protocol: 'TCP',
    rate: 0.3,
    requestBytes: 80,
    responseBytes: 400_000,
    latencyMs: 40,
    reuseMs: 60_000,
  },
  {
    from: 'ops/redis-backup',
    to: { kind: 'external', ip: DEMO_EXTERNALS.backupStorage.ip, port: 443 },
    protocol: 'TCP',
    rate: 0.2,
    requestBytes: 600_000,
    responseBytes: 2_000,
    latencyMs: 300,
    reuseMs: 0,
  },
  scrape(SHOP_METRICS, 'metrics', 12_000),
  scrape(['shop/redis-cart'], 'exporter', 8_000),
  scrape(['kube-system/coredns'], 'metrics', 15_000),
  scrape(['monitoring/node-exporter'], 'metrics', 60_000),
  scrape(['kube-system/kube-proxy'], 'metrics', 20_000),
  scrape(['kube-system/calico-node'], 'felix-metrics', 25_000),
];
