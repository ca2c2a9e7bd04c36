/**
 * `flowmap demo` and the load generator: a simulated cluster (Kubernetes objects, snapshot and watch events),
 * realistic traffic with its ground truth, and per-node NetFlow v9 / IPFIX exporters sending real UDP.
 * @module
 */
export { calibrateIntensity, measureRecordRate } from './calibrate.js';
export {
  type ClusterEvent,
  createSimulatedCluster,
  DEFAULT_TOPOLOGY,
  type KubeList,
  type KubeObject,
  type SimulatedCluster,
  type TopologySpec,
  type WatchEventType,
} from './cluster/index.js';
export {
  type DemoConfig,
  type DemoConfigInput,
  demoConfig,
  exporterSpecSchema,
  type LoadGeneratorConfig,
  type LoadGeneratorConfigInput,
  loadGeneratorConfig,
} from './config.js';
export {
  createDemo,
  type Demo,
  type DemoClusterSource,
  type DemoDeps,
  type DemoExporterStats,
  type DemoStats,
} from './demo.js';
export {
  createIpfixEncoder,
  createNetflowV9Encoder,
  type ExportRecord,
  type FlowEncoder,
  IPFIX_BIFLOW,
  IPT_NETFLOW_IPFIX,
  IPT_NETFLOW_V9,
  ipfixSamplingOptions,
  v9SamplingOptions,
} from './encode/index.js';
export type { ExportBatch } from './exporters/index.js';
export { createLoadGenerator, type LoadGenerator, type LoadGeneratorReport } from './load-generator.js';
export { type CapturedDatagram, writePcap } from './pcap/index.js';
export {
  createSimulation,
  DEFAULT_EXPORTERS,
  DEMO_CIDR_LABELS,
  type ExporterSpec,
  type Simulation,
  type SimulationOptions,
  type SimulationStep,
} from './simulation.js';
export { DEMO_EXTERNALS, type NatView, type TruthEdge, type TruthParty } from './traffic/index.js';
