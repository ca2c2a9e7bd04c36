/**
 * Configuration of identity: where cluster metadata comes from and how addresses outside the cluster are named.
 * @module
 */
import * as z from 'zod';
import { parseCidr } from './cidr.js';

const cidr = z.string().refine((s) => parseCidr(s) !== undefined, {
  error: (issue) => `Cannot parse CIDR "${String(issue.input)}": expected an address or address/prefix`,
});

export const cidrLabelConfig = z.object({
  name: z.string().min(1).describe('the name shown for addresses in these CIDRs, e.g. "corp-vpn" or "pod-network"'),
  cidrs: z.array(cidr).min(1).describe('IPv4 and IPv6 CIDRs; across all labels the longest matching prefix wins'),
});

export const kubernetesConfig = z.object({
  mode: z
    .enum(['auto', 'in-cluster', 'kubeconfig', 'off'])
    .default('auto')
    .describe(
      'how to reach the API server: "in-cluster" (service account), "kubeconfig" (file), "off", or "auto": off when ' +
        'snapshot files are given, else in-cluster inside a pod, else a kubeconfig file when one exists, else off',
    ),
  kubeconfig: z.string().min(1).optional().describe('kubeconfig file; default $KUBECONFIG, then ~/.kube/config'),
  context: z.string().min(1).optional().describe('kubeconfig context to use; default its current-context'),
  backoffInitialMs: z
    .number()
    .int()
    .min(10)
    .default(500)
    .describe('first delay before restarting an informer that stopped on an error; doubles on each failure'),
  backoffMaxMs: z.number().int().min(10).default(30_000).describe('longest delay between informer restarts'),
  listPageSize: z
    .number()
    .int()
    .min(0)
    .default(500)
    .describe(
      'LISTs are read in pages of this many objects (limit/continue, one consistent snapshot), so a large ' +
        'cluster never arrives as one huge response; 0 lists everything in one response',
    ),
  watchTimeoutSeconds: z
    .number()
    .int()
    .min(1)
    .default(300)
    .describe('the API server ends each watch after this long and the informer re-watches (guards against dead links)'),
});

export const enrichConfig = z
  .object({
    snapshots: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'cluster snapshot files (JSON or YAML): what `kubectl get nodes,pods,services,endpointslices,replicasets,' +
          'deployments,statefulsets,daemonsets,jobs,cronjobs -A -o json` prints',
      ),
    kubernetes: kubernetesConfig.prefault({}).describe('the live source: informers on the Kubernetes API'),
    tombstoneGraceMs: z
      .number()
      .int()
      .min(0)
      .default(120_000)
      .describe('how long a deleted pod still names its IP for flows timed after its deletion'),
    workloadLabel: z
      .string()
      .min(1)
      .optional()
      .describe('a pod label whose value, when present, replaces the workload name (the kind stays)'),
    cidrLabels: z
      .array(cidrLabelConfig)
      .default([])
      .describe('names for addresses outside the cluster, NetObserv style: [{ name, cidrs: [...] }]'),
    asn: z
      .boolean()
      .default(true)
      .describe('name public addresses by ASN and organisation (embedded DB-IP/RouteViews data, CC-BY-4.0)'),
  })
  .refine((c) => c.kubernetes.backoffInitialMs <= c.kubernetes.backoffMaxMs, {
    error: 'backoffInitialMs must not exceed backoffMaxMs',
    path: ['kubernetes', 'backoffInitialMs'],
  });
export type EnrichConfig = z.infer<typeof enrichConfig>;
export type EnrichConfigInput = z.input<typeof enrichConfig>;
export type KubernetesConfig = z.infer<typeof kubernetesConfig>;
export type CidrLabelConfig = z.infer<typeof cidrLabelConfig>;
