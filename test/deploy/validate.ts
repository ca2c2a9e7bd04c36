/**
 * Structural validation of rendered Kubernetes objects: known apiVersion/kind, DNS-1123 names, required fields per
 * kind, selectors that match pod labels, Service ports that target existing container ports, probes on the HTTP
 * port, volumes and references that exist. Returns the problems found (empty = valid).
 * @module
 */

type Obj = Record<string, unknown> & { apiVersion?: unknown; kind?: unknown; metadata?: Record<string, unknown> };
type Container = {
  name?: string;
  image?: string;
  ports?: Port[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  volumeMounts?: { name: string }[];
};
type Port = { name?: string; containerPort?: unknown; protocol?: string };
type Probe = { httpGet?: { path?: string; port?: unknown } };

/** apiVersion -> kinds, and whether the kind is namespaced */
const KINDS: Record<string, Record<string, boolean>> = {
  v1: {
    ConfigMap: true,
    Service: true,
    ServiceAccount: true,
    PersistentVolumeClaim: true,
    Secret: true,
    Namespace: false,
  },
  'apps/v1': { Deployment: true, DaemonSet: true, StatefulSet: true },
  'rbac.authorization.k8s.io/v1': { ClusterRole: false, ClusterRoleBinding: false, Role: true, RoleBinding: true },
  'monitoring.coreos.com/v1': { ServiceMonitor: true },
};
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);
const VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']);
const GROUP_RESOURCES: Record<string, Set<string>> = {
  '': new Set(['nodes', 'pods', 'services', 'endpoints', 'namespaces', 'configmaps', 'secrets']),
  apps: new Set(['deployments', 'replicasets', 'statefulsets', 'daemonsets']),
  batch: new Set(['jobs', 'cronjobs']),
  'discovery.k8s.io': new Set(['endpointslices']),
};
/** names that must be DNS-1123 labels (63 characters): Services, and every name that becomes a host name */
const LABEL_NAMED = new Set(['Service', 'Namespace']);

const isPort = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

function podSpecOf(o: Obj): { labels: Record<string, string>; spec: Record<string, unknown> } | undefined {
  const template = (
    o.spec as
      | { template?: { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> } }
      | undefined
  )?.template;
  return template ? { labels: template.metadata?.labels ?? {}, spec: template.spec ?? {} } : undefined;
}

function checkWorkload(o: Obj, where: string, all: readonly Obj[], problems: string[]): void {
  const pod = podSpecOf(o);
  if (!pod) return void problems.push(`${where}: no spec.template`);
  const selector = (o.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels ?? {};
  if (Object.keys(selector).length === 0) problems.push(`${where}: empty selector`);
  for (const [k, v] of Object.entries(selector))
    if (pod.labels[k] !== v) problems.push(`${where}: selector ${k}=${v} does not match the pod template labels`);
  const containers = [
    ...((pod.spec.containers as Container[]) ?? []),
    ...((pod.spec.initContainers as Container[]) ?? []),
  ];
  if (!((pod.spec.containers as Container[]) ?? []).length) problems.push(`${where}: no containers`);
  const volumes = new Set(((pod.spec.volumes as { name: string }[]) ?? []).map((v) => v.name));
  for (const c of containers) {
    if (!c.name || !DNS1123_LABEL.test(c.name))
      problems.push(`${where}: container name "${c.name}" is not a DNS-1123 label`);
    if (!c.image) problems.push(`${where}: container "${c.name}" has no image`);
    const names = new Set<string>();
    for (const p of c.ports ?? []) {
      if (!isPort(p.containerPort))
        problems.push(`${where}: container "${c.name}" port ${String(p.containerPort)} is not a port number`);
      if (!PROTOCOLS.has(p.protocol ?? 'TCP')) problems.push(`${where}: protocol "${p.protocol}" is not TCP/UDP/SCTP`);
      if (p.name && (p.name.length > 15 || !DNS1123_LABEL.test(p.name)))
        problems.push(`${where}: port name "${p.name}" is invalid (IANA_SVC_NAME)`);
      if (p.name && names.has(p.name)) problems.push(`${where}: duplicate port name "${p.name}"`);
      if (p.name) names.add(p.name);
    }
    for (const probe of [c.livenessProbe, c.readinessProbe]) {
      if (!probe) continue;
      const port = probe.httpGet?.port;
      const target = (c.ports ?? []).find((p) => p.name === port || p.containerPort === port);
      if (!target || (target.protocol ?? 'TCP') !== 'TCP' || target.name !== 'http')
        problems.push(`${where}: probe port "${String(port)}" is not the container's TCP http port`);
      if (!probe.httpGet?.path?.startsWith('/'))
        problems.push(`${where}: probe path "${probe.httpGet?.path}" is not absolute`);
    }
    for (const m of c.volumeMounts ?? [])
      if (!volumes.has(m.name)) problems.push(`${where}: volumeMount "${m.name}" has no volume`);
  }
  const ns = o.metadata?.namespace;
  const find = (kind: string, name: unknown) =>
    all.some((x) => x.kind === kind && x.metadata?.name === name && (x.metadata?.namespace ?? ns) === ns);
  for (const v of (pod.spec.volumes as Record<string, { name?: string; claimName?: string }>[]) ?? []) {
    if (v.configMap && !find('ConfigMap', v.configMap.name))
      problems.push(`${where}: volume ConfigMap "${v.configMap.name}" is not rendered`);
    if (v.persistentVolumeClaim && !find('PersistentVolumeClaim', v.persistentVolumeClaim.claimName))
      problems.push(`${where}: claim "${v.persistentVolumeClaim.claimName}" is not rendered`);
  }
  const sa = pod.spec.serviceAccountName;
  if (sa && sa !== 'default' && !find('ServiceAccount', sa))
    problems.push(`${where}: ServiceAccount "${String(sa)}" is not rendered`);
}

function checkService(o: Obj, where: string, all: readonly Obj[], problems: string[]): void {
  const spec = o.spec as {
    selector?: Record<string, string>;
    type?: string;
    ports?: { name?: string; port?: unknown; targetPort?: unknown; protocol?: string; nodePort?: unknown }[];
  };
  if (!['ClusterIP', 'NodePort', 'LoadBalancer'].includes(spec.type ?? 'ClusterIP'))
    problems.push(`${where}: unknown type "${spec.type}"`);
  const selector = spec.selector ?? {};
  const backends = all.filter((x) => {
    const pod = podSpecOf(x);
    return (
      pod &&
      x.metadata?.namespace === o.metadata?.namespace &&
      Object.entries(selector).every(([k, v]) => pod.labels[k] === v) &&
      Object.keys(selector).length > 0
    );
  });
  if (backends.length === 0) problems.push(`${where}: selector matches no rendered workload`);
  const seen = new Set<string>();
  for (const p of spec.ports ?? []) {
    if (!isPort(p.port)) problems.push(`${where}: port ${String(p.port)} is not a port number`);
    if (!PROTOCOLS.has(p.protocol ?? 'TCP')) problems.push(`${where}: protocol "${p.protocol}" is invalid`);
    if (
      p.nodePort !== undefined &&
      !(isPort(p.nodePort) && (p.nodePort as number) >= 30000 && (p.nodePort as number) <= 32767)
    )
      problems.push(`${where}: nodePort ${String(p.nodePort)} is outside 30000-32767`);
    if (!p.name || seen.has(p.name)) problems.push(`${where}: port names must be set and unique ("${p.name}")`);
    seen.add(p.name ?? '');
    for (const b of backends) {
      const containers = (podSpecOf(b)!.spec.containers as Container[]) ?? [];
      const ok = containers.some((c) =>
        (c.ports ?? []).some(
          (cp) =>
            (cp.name === p.targetPort || cp.containerPort === p.targetPort) &&
            (cp.protocol ?? 'TCP') === (p.protocol ?? 'TCP'),
        ),
      );
      if (!ok)
        problems.push(
          `${where}: targetPort "${String(p.targetPort)}"/${p.protocol} is not a container port of ${String(b.kind)}/${String(b.metadata?.name)}`,
        );
    }
  }
}

function checkRbac(o: Obj, where: string, all: readonly Obj[], problems: string[]): void {
  if (o.kind === 'ClusterRole') {
    for (const rule of (o.rules as { apiGroups?: string[]; resources?: string[]; verbs?: string[] }[]) ?? []) {
      for (const verb of rule.verbs ?? []) if (!VERBS.has(verb)) problems.push(`${where}: unknown verb "${verb}"`);
      for (const group of rule.apiGroups ?? []) {
        const known = GROUP_RESOURCES[group];
        if (!known) problems.push(`${where}: unknown API group "${group}"`);
        for (const r of rule.resources ?? [])
          if (known && !known.has(r)) problems.push(`${where}: "${r}" is not a resource of group "${group}"`);
      }
    }
  }
  if (o.kind === 'ClusterRoleBinding') {
    const ref = o.roleRef as { kind?: string; name?: string; apiGroup?: string };
    if (
      ref.apiGroup !== 'rbac.authorization.k8s.io' ||
      !all.some((x) => x.kind === ref.kind && x.metadata?.name === ref.name)
    )
      problems.push(`${where}: roleRef ${ref.kind}/${ref.name} is not rendered`);
    for (const s of (o.subjects as { kind: string; name: string; namespace?: string }[]) ?? []) {
      if (
        s.kind === 'ServiceAccount' &&
        !all.some(
          (x) => x.kind === 'ServiceAccount' && x.metadata?.name === s.name && x.metadata?.namespace === s.namespace,
        )
      )
        problems.push(`${where}: subject ServiceAccount ${s.namespace}/${s.name} is not rendered`);
    }
  }
}

function checkServiceMonitor(o: Obj, where: string, all: readonly Obj[], problems: string[]): void {
  const spec = o.spec as {
    selector?: { matchLabels?: Record<string, string> };
    endpoints?: { port?: string; path?: string }[];
  };
  const services = all.filter(
    (x) =>
      x.kind === 'Service' &&
      Object.entries(spec.selector?.matchLabels ?? {}).every(
        ([k, v]) => (x.metadata?.labels as Record<string, string> | undefined)?.[k] === v,
      ),
  );
  if (services.length === 0) problems.push(`${where}: selects no rendered Service`);
  for (const e of spec.endpoints ?? []) {
    const ok = services.some((s) =>
      ((s.spec as { ports?: { name?: string }[] }).ports ?? []).some((p) => p.name === e.port),
    );
    if (!ok) problems.push(`${where}: endpoint port "${e.port}" is not a port of the Service`);
  }
}

/** every problem of the objects as a set (a Deployment's Service, ConfigMap, claim... must be in `objects`) */
export function validateObjects(objects: readonly Obj[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const o of objects) {
    const apiVersion = String(o.apiVersion);
    const kind = String(o.kind);
    const name = String(o.metadata?.name ?? '');
    const where = `${kind}/${name}`;
    const namespaced = KINDS[apiVersion]?.[kind];
    if (namespaced === undefined) {
      problems.push(`${where}: unknown apiVersion/kind "${apiVersion}" "${kind}"`);
      continue;
    }
    const pattern = LABEL_NAMED.has(kind) ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
    if (!pattern.test(name) || name.length > (LABEL_NAMED.has(kind) ? 63 : 253))
      problems.push(`${where}: name is not a valid DNS-1123 name`);
    if (namespaced && !o.metadata?.namespace) problems.push(`${where}: namespaced kind without metadata.namespace`);
    if (!namespaced && o.metadata?.namespace) problems.push(`${where}: cluster-scoped kind with a namespace`);
    for (const [k, v] of Object.entries((o.metadata?.labels as Record<string, unknown>) ?? {})) {
      if (typeof v !== 'string' || v.length > 63 || !/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(v))
        problems.push(`${where}: label ${k}="${String(v)}" is invalid`);
    }
    const id = `${kind}/${String(o.metadata?.namespace ?? '')}/${name}`;
    if (ids.has(id)) problems.push(`${where}: rendered twice`);
    ids.add(id);
    if (kind === 'Deployment' || kind === 'DaemonSet' || kind === 'StatefulSet')
      checkWorkload(o, where, objects, problems);
    if (kind === 'Service') checkService(o, where, objects, problems);
    if (kind === 'ClusterRole' || kind === 'ClusterRoleBinding') checkRbac(o, where, objects, problems);
    if (kind === 'ServiceMonitor') checkServiceMonitor(o, where, objects, problems);
    if (kind === 'ConfigMap' && (typeof o.data !== 'object' || o.data === null)) problems.push(`${where}: no data`);
  }
  return problems;
}
