/**
 * Turns Kubernetes API objects (JSON as the API server sends it, or the client library's typed models) into slim
 * records, interning labels, ports and short strings so that pods of one workload share them.
 * @module
 */
import type { DeclaredPort } from '../core/endpoint.js';
import type { IpAddress } from '../core/flow.js';
import { parseIp } from '../core/ip.js';
import { createInternPool, internString, internStringMap } from './intern.js';
import {
  isOwnerKind,
  type OwnerRef,
  type ResourceKind,
  type SlimEndpointSlice,
  type SlimMeta,
  type SlimNode,
  type SlimObject,
  type SlimOwner,
  type SlimPod,
  type SlimService,
} from './kube-objects.js';

/** an object that is not a usable Kubernetes object of its kind; the message names the field */
export class ObjectShapeError extends TypeError {
  override readonly name = 'ObjectShapeError';
  constructor(
    /** what was read: `Pod "shop/cart-1"`, `Node` */
    readonly object: string,
    readonly reason: string,
  ) {
    super(`Cannot read ${object}: ${reason}`);
  }
}

export interface Slimmer {
  /** throws ObjectShapeError when `raw` lacks what the index needs (metadata.name, valid IPs) */
  slim(kind: ResourceKind, raw: unknown): SlimObject;
  /** drops the interning pools when they hold more than `limit` entries (they refill on demand) */
  trim(limit: number): void;
}

type Json = Readonly<Record<string, unknown>>;
const NO_IPS: readonly IpAddress[] = Object.freeze([]);
const NO_PORTS: readonly DeclaredPort[] = Object.freeze([]);
const PROTOCOLS: Readonly<Record<string, number>> = { TCP: 6, UDP: 17, SCTP: 132 };

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}
function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(value))) if (typeof v === 'string') out[k] = v;
  return out;
}
function time(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

export function createSlimmer(): Slimmer {
  return new SlimmerImpl();
}

class SlimmerImpl implements Slimmer {
  private readonly maps = createInternPool<Readonly<Record<string, string>>>();
  private readonly strings = createInternPool<string>();
  private readonly ports = createInternPool<readonly DeclaredPort[]>();
  private readonly owners = createInternPool<OwnerRef>();
  private readonly ipLists = createInternPool<readonly IpAddress[]>();

  private labelsOf(value: unknown) {
    return internStringMap(this.maps, stringMap(value));
  }

  private s(text: string) {
    return internString(this.strings, text);
  }

  private meta(kind: string, raw: Json): SlimMeta {
    const m = obj(raw.metadata);
    const name = str(m.name);
    if (name === '') throw new ObjectShapeError(kind, 'metadata.name is missing');
    const uid = str(m.uid);
    const rv = str(m.resourceVersion);
    return Object.freeze({
      name,
      namespace: this.s(str(m.namespace)),
      ...(uid ? { uid } : {}),
      ...(rv ? { resourceVersion: rv } : {}),
    });
  }

  private ownerOf(raw: Json): OwnerRef | undefined {
    const refs = arr(obj(raw.metadata).ownerReferences).map(obj);
    const ref = refs.find((r) => r.controller === true) ?? refs[0];
    if (!ref || !str(ref.kind) || !str(ref.name)) return undefined;
    const kind = str(ref.kind);
    const name = str(ref.name);
    return this.owners.intern(`${kind}/${name}`, () => Object.freeze({ kind, name }));
  }

  private ips(what: string, values: readonly unknown[], field: string): readonly IpAddress[] {
    if (values.length === 0) return NO_IPS;
    const out: IpAddress[] = [];
    for (const value of values) {
      const text = str(value);
      const ip = parseIp(text);
      if (ip === undefined) throw new ObjectShapeError(what, `"${text}" in ${field} is not an IP address`);
      if (!out.includes(ip)) out.push(ip);
    }
    return Object.freeze(out);
  }

  /** pods on one node share their hostIPs list */
  private shared(list: readonly IpAddress[]): readonly IpAddress[] {
    return list.length ? this.ipLists.intern(list.join(','), () => list) : list;
  }

  private portList(list: DeclaredPort[]): readonly DeclaredPort[] {
    if (list.length === 0) return NO_PORTS;
    const key = list.map((p) => `${p.port}/${p.ipProtocol}/${p.name ?? ''}/${p.targetPort ?? ''}`).join(',');
    return this.ports.intern(key, () => Object.freeze(list.map((p) => Object.freeze(p))));
  }

  private declared(port: number, protocol: unknown, name: unknown): DeclaredPort {
    const ipProtocol = PROTOCOLS[str(protocol) || 'TCP'] ?? 6;
    const n = str(name);
    return n ? { port, ipProtocol, name: this.s(n) } : { port, ipProtocol };
  }

  private pod(raw: Json): SlimPod {
    const metadata = this.meta('Pod', raw);
    const what = `Pod "${metadata.namespace}/${metadata.name}"`;
    const spec = obj(raw.spec);
    const status = obj(raw.status);
    const hostNetwork = spec.hostNetwork === true;
    const sidecars = arr(spec.initContainers).filter((c) => obj(c).restartPolicy === 'Always');
    const containerPorts: DeclaredPort[] = [];
    const hostPorts: DeclaredPort[] = [];
    for (const container of [...arr(spec.containers), ...sidecars]) {
      for (const p of arr(obj(container).ports).map(obj)) {
        if (typeof p.containerPort !== 'number') continue;
        const d = this.declared(p.containerPort, p.protocol, p.name);
        containerPorts.push(d);
        if (hostNetwork) hostPorts.push(d);
        else if (typeof p.hostPort === 'number' && p.hostPort > 0)
          hostPorts.push(this.declared(p.hostPort, p.protocol, p.name));
      }
    }
    const podIps = arr(status.podIPs).map((e) => obj(e).ip);
    const hostIps = arr(status.hostIPs).map((e) => obj(e).ip);
    return Object.freeze({
      kind: 'Pod',
      metadata,
      labels: this.labelsOf(obj(raw.metadata).labels),
      owner: this.ownerOf(raw),
      created: time(obj(raw.metadata).creationTimestamp),
      nodeName: this.s(str(spec.nodeName)),
      hostNetwork,
      ports: this.portList(containerPorts),
      hostPorts: this.portList(hostPorts),
      phase: this.s(str(status.phase)),
      ips: this.ips(what, podIps.length ? podIps : status.podIP ? [status.podIP] : [], 'status.podIPs'),
      hostIPs: this.shared(
        this.ips(what, hostIps.length ? hostIps : status.hostIP ? [status.hostIP] : [], 'status.hostIPs'),
      ),
    });
  }

  private service(raw: Json): SlimService {
    const metadata = this.meta('Service', raw);
    const what = `Service "${metadata.namespace}/${metadata.name}"`;
    const spec = obj(raw.spec);
    const clusterIps = arr(spec.clusterIPs).length ? arr(spec.clusterIPs) : spec.clusterIP ? [spec.clusterIP] : [];
    const ingress = arr(obj(obj(raw.status).loadBalancer).ingress)
      .map((i) => obj(i).ip)
      .filter((ip) => typeof ip === 'string' && ip !== '');
    const all = [...clusterIps.filter((ip) => ip !== 'None' && ip !== ''), ...arr(spec.externalIPs), ...ingress];
    const svcPorts = arr(spec.ports)
      .map(obj)
      .filter((p) => typeof p.port === 'number')
      .map((p) => ({
        ...this.declared(p.port as number, p.protocol, p.name),
        targetPort:
          typeof p.targetPort === 'number' ? p.targetPort : p.targetPort === undefined ? (p.port as number) : 0,
      }));
    const selector = spec.selector === undefined || spec.selector === null ? undefined : this.labelsOf(spec.selector);
    return Object.freeze({
      kind: 'Service',
      metadata,
      labels: this.labelsOf(obj(raw.metadata).labels),
      selector: selector && Object.keys(selector).length ? selector : undefined,
      ips: this.ips(what, all, 'spec.clusterIPs/externalIPs/status.loadBalancer'),
      ports: this.portList(svcPorts),
    });
  }

  private endpointSlice(raw: Json): SlimEndpointSlice {
    const metadata = this.meta('EndpointSlice', raw);
    const isIp = raw.addressType === undefined || raw.addressType === 'IPv4' || raw.addressType === 'IPv6';
    const addresses = isIp ? arr(raw.endpoints).flatMap((e) => arr(obj(e).addresses)) : [];
    return Object.freeze({
      kind: 'EndpointSlice',
      metadata,
      serviceName: this.s(str(obj(obj(raw.metadata).labels)['kubernetes.io/service-name'])),
      addresses: this.ips(`EndpointSlice "${metadata.namespace}/${metadata.name}"`, addresses, 'endpoints[].addresses'),
    });
  }

  private node(raw: Json): SlimNode {
    const metadata = this.meta('Node', raw);
    const addresses = arr(obj(raw.status).addresses)
      .map(obj)
      .filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP')
      .map((a) => a.address);
    return Object.freeze({
      kind: 'Node',
      metadata,
      labels: this.labelsOf(obj(raw.metadata).labels),
      ips: this.ips(`Node "${metadata.name}"`, addresses, 'status.addresses'),
    });
  }

  slim(kind: ResourceKind, value: unknown): SlimObject {
    const raw = obj(value);
    switch (kind) {
      case 'Pod':
        return this.pod(raw);
      case 'Service':
        return this.service(raw);
      case 'EndpointSlice':
        return this.endpointSlice(raw);
      case 'Node':
        return this.node(raw);
      default: {
        if (!isOwnerKind(kind)) throw new ObjectShapeError(`"${kind}"`, 'not a kind the index reads');
        const owner: SlimOwner = { kind, metadata: this.meta(kind, raw), owner: this.ownerOf(raw) };
        return Object.freeze(owner);
      }
    }
  }

  trim(limit: number): void {
    for (const pool of [this.maps, this.strings, this.ports, this.owners, this.ipLists]) {
      if (pool.size > limit) pool.clear();
    }
  }
}
