/**
 * The simulated cluster's shape: three nodes, an Online-Boutique-like `shop`, kube-system (CoreDNS, kube-proxy,
 * a CNI agent), monitoring (Prometheus, node-exporter), and an `ops` CronJob. Pure data; `simulation.ts` turns it
 * into Kubernetes objects.
 * @module
 */

export type Proto = 'TCP' | 'UDP';

export interface PortSpec {
  readonly name: string;
  readonly port: number;
  readonly protocol: Proto;
}

export interface ServicePortSpec extends PortSpec {
  /** the container port traffic is forwarded to */
  readonly targetPort: number;
}

export interface ServiceSpec {
  readonly name: string;
  readonly ports: readonly ServicePortSpec[];
  /** fixed ClusterIP (kube-dns has one); otherwise allocated */
  readonly clusterIP?: string;
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob';

export interface WorkloadSpec {
  readonly namespace: string;
  readonly name: string;
  readonly kind: WorkloadKind;
  /** Deployments and StatefulSets; DaemonSets run one pod per node; CronJobs one pod per run */
  readonly replicas?: number;
  readonly hostNetwork?: boolean;
  readonly image: string;
  readonly ports: readonly PortSpec[];
  readonly service?: ServiceSpec;
  /** CronJobs: run every this many ms (simulated cron), each run lasting `runMs` */
  readonly everyMs?: number;
  readonly runMs?: number;
  readonly schedule?: string;
  /** Deployments that the simulation rolls out now and then (new ReplicaSet, pods replaced one by one) */
  readonly rollouts?: boolean;
}

export interface NodeSpec {
  readonly name: string;
  readonly internalIP: string;
  /** /24 the node's pods get addresses from */
  readonly podCIDR: string;
  readonly zone: string;
}

export interface TopologySpec {
  readonly nodes: readonly NodeSpec[];
  readonly workloads: readonly WorkloadSpec[];
  /** first ClusterIP handed out to services without a fixed one */
  readonly serviceCIDR: string;
}

const tcp = (name: string, port: number): PortSpec => ({ name, port, protocol: 'TCP' });
const svc = (name: string, port: number, targetPort: number, protocol: Proto = 'TCP'): ServicePortSpec => ({
  name,
  port,
  targetPort,
  protocol,
});
const metrics = tcp('metrics', 9464);
const img = (name: string) => `us-central1-docker.pkg.dev/google-samples/microservices-demo/${name}:v0.10.2`;

function shopService(name: string, port: number, targetPort = port, replicas = 1): WorkloadSpec {
  return {
    namespace: 'shop',
    name,
    kind: 'Deployment',
    replicas,
    image: img(name),
    ports: [tcp('grpc', targetPort), metrics],
    service: { name, ports: [svc('grpc', port, targetPort)] },
    rollouts: true,
  };
}

/** the default demo cluster */
export const DEFAULT_TOPOLOGY: TopologySpec = {
  serviceCIDR: '10.96.0.0/16',
  nodes: [
    { name: 'node-1', internalIP: '10.0.0.11', podCIDR: '10.244.1.0/24', zone: 'europe-west1-b' },
    { name: 'node-2', internalIP: '10.0.0.12', podCIDR: '10.244.2.0/24', zone: 'europe-west1-c' },
    { name: 'node-3', internalIP: '10.0.0.13', podCIDR: '10.244.3.0/24', zone: 'europe-west1-d' },
  ],
  workloads: [
    {
      namespace: 'shop',
      name: 'frontend',
      kind: 'Deployment',
      replicas: 2,
      image: img('frontend'),
      ports: [tcp('http', 8080), metrics],
      service: { name: 'frontend', ports: [svc('http', 80, 8080)] },
      rollouts: true,
    },
    shopService('cartservice', 7070),
    shopService('productcatalogservice', 3550, 3550, 2),
    shopService('currencyservice', 7000, 7000, 2),
    shopService('paymentservice', 50051),
    shopService('shippingservice', 50051),
    shopService('emailservice', 5000, 8080),
    shopService('checkoutservice', 5050),
    shopService('recommendationservice', 8080),
    shopService('adservice', 9555),
    {
      namespace: 'shop',
      name: 'redis-cart',
      kind: 'StatefulSet',
      replicas: 1,
      image: 'redis:7.2-alpine',
      ports: [tcp('redis', 6379), tcp('exporter', 9121)],
      service: { name: 'redis-cart', ports: [svc('redis', 6379, 6379)] },
    },
    {
      namespace: 'shop',
      name: 'loadgenerator',
      kind: 'Deployment',
      replicas: 1,
      image: img('loadgenerator'),
      ports: [],
    },
    {
      namespace: 'kube-system',
      name: 'coredns',
      kind: 'Deployment',
      replicas: 2,
      image: 'registry.k8s.io/coredns/coredns:v1.11.3',
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, tcp('dns-tcp', 53), tcp('metrics', 9153)],
      service: {
        name: 'kube-dns',
        clusterIP: '10.96.0.10',
        ports: [svc('dns', 53, 53, 'UDP'), svc('dns-tcp', 53, 53), svc('metrics', 9153, 9153)],
      },
    },
    {
      namespace: 'kube-system',
      name: 'kube-proxy',
      kind: 'DaemonSet',
      hostNetwork: true,
      image: 'registry.k8s.io/kube-proxy:v1.31.2',
      ports: [tcp('metrics', 10249)],
    },
    {
      namespace: 'kube-system',
      name: 'calico-node',
      kind: 'DaemonSet',
      hostNetwork: true,
      image: 'docker.io/calico/node:v3.28.2',
      ports: [tcp('felix-metrics', 9091)],
    },
    {
      namespace: 'monitoring',
      name: 'prometheus',
      kind: 'StatefulSet',
      replicas: 1,
      image: 'quay.io/prometheus/prometheus:v2.54.1',
      ports: [tcp('web', 9090)],
      service: { name: 'prometheus', ports: [svc('web', 9090, 9090)] },
    },
    {
      namespace: 'monitoring',
      name: 'node-exporter',
      kind: 'DaemonSet',
      hostNetwork: true,
      image: 'quay.io/prometheus/node-exporter:v1.8.2',
      ports: [tcp('metrics', 9100)],
    },
    {
      namespace: 'ops',
      name: 'redis-backup',
      kind: 'CronJob',
      image: 'docker.io/library/redis:7.2-alpine',
      ports: [],
      schedule: '*/2 * * * *',
      everyMs: 120_000,
      runMs: 25_000,
    },
  ],
};
