/**
 * Small builders of Kubernetes API objects (JSON shape) for the enrich tests.
 * @module
 */

export interface PodOptions {
  readonly namespace?: string;
  readonly uid?: string;
  readonly ips?: readonly string[];
  readonly hostIPs?: readonly string[];
  readonly node?: string;
  readonly phase?: string;
  readonly created?: string;
  readonly owner?: readonly [kind: string, name: string];
  readonly labels?: Readonly<Record<string, string>>;
  readonly hostNetwork?: boolean;
  readonly ports?: readonly { port: number; protocol?: string; name?: string; hostPort?: number }[];
}

export function pod(name: string, o: PodOptions = {}): Record<string, unknown> {
  return {
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'shop',
      uid: o.uid ?? `uid-${name}`,
      creationTimestamp: o.created ?? '2024-05-01T10:00:00Z',
      labels: o.labels ?? {},
      ...(o.owner ? { ownerReferences: [{ kind: o.owner[0], name: o.owner[1], controller: true }] } : {}),
    },
    spec: {
      nodeName: o.node ?? 'worker-1',
      ...(o.hostNetwork ? { hostNetwork: true } : {}),
      containers: [
        {
          name: 'main',
          ports: (o.ports ?? []).map((p) => ({
            containerPort: p.port,
            protocol: p.protocol ?? 'TCP',
            ...(p.name ? { name: p.name } : {}),
            ...(p.hostPort ? { hostPort: p.hostPort } : {}),
          })),
        },
      ],
    },
    status: {
      phase: o.phase ?? 'Running',
      podIPs: (o.ips ?? []).map((ip) => ({ ip })),
      hostIPs: (o.hostIPs ?? ['10.0.0.11']).map((ip) => ({ ip })),
    },
  };
}

export function owner(kind: string, name: string, parent?: readonly [string, string], namespace = 'shop') {
  return {
    kind,
    metadata: {
      name,
      namespace,
      uid: `uid-${kind}-${name}`,
      ...(parent ? { ownerReferences: [{ kind: parent[0], name: parent[1], controller: true }] } : {}),
    },
  };
}

export function service(
  name: string,
  ips: readonly string[],
  o: {
    namespace?: string;
    selector?: Record<string, string>;
    ports?: readonly { port: number; targetPort?: number | string; protocol?: string }[];
    externalIPs?: readonly string[];
    lb?: readonly string[];
  } = {},
) {
  return {
    kind: 'Service',
    metadata: { name, namespace: o.namespace ?? 'shop', uid: `uid-svc-${name}` },
    spec: {
      clusterIP: ips[0] ?? 'None',
      clusterIPs: ips.length ? ips : ['None'],
      ...(o.selector ? { selector: o.selector } : {}),
      ...(o.externalIPs ? { externalIPs: o.externalIPs } : {}),
      ports: (o.ports ?? [{ port: 80 }]).map((p) => ({ protocol: 'TCP', ...p })),
    },
    status: { loadBalancer: o.lb ? { ingress: o.lb.map((ip) => ({ ip })) } : {} },
  };
}

export function slice(name: string, serviceName: string, addresses: readonly string[], namespace = 'shop') {
  return {
    kind: 'EndpointSlice',
    metadata: { name, namespace, labels: { 'kubernetes.io/service-name': serviceName } },
    addressType: 'IPv4',
    endpoints: addresses.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  };
}

export function node(name: string, internal: string, external?: string) {
  return {
    kind: 'Node',
    metadata: { name, uid: `uid-node-${name}`, labels: { 'kubernetes.io/hostname': name } },
    status: {
      addresses: [
        { type: 'InternalIP', address: internal },
        ...(external ? [{ type: 'ExternalIP', address: external }] : []),
        { type: 'Hostname', address: name },
      ],
    },
  };
}
