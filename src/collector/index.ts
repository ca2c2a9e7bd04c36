export { type AllowList, type Cidr, createAllowList, parseCidr } from './allow-list.js';
export { type Collector, type CollectorDeps, type CollectorLog, createCollector } from './collector.js';
export {
  type CollectorConfig,
  type CollectorConfigInput,
  collectorConfig,
  queueConfig,
  tcpListenersConfig,
  udpListenersConfig,
} from './config.js';
export { ListenError } from './errors.js';
export { type KernelUdpStats, parseProcNetUdp, parseSnmpCounter, readKernelUdpStats } from './kernel-stats.js';
export type {
  CollectorDropReason,
  CollectorStats,
  KernelSocketStats,
  ListenerStats,
  SniffedProtocol,
} from './metrics.js';
