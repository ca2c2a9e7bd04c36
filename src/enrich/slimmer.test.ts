import { describe, expect, it } from 'vitest';
import { parseIp } from '../core/ip.js';
import type { SlimEndpointSlice, SlimNode, SlimPod, SlimService } from './kube-objects.js';
import { createSlimmer, ObjectShapeError } from './slimmer.js';

describe('createSlimmer()', () => {
  it('keeps what a pod needs: IPs, owner, node, ports of containers and sidecars, host ports', () => {
    const slim = createSlimmer().slim('Pod', {
      metadata: {
        name: 'p',
        namespace: 'ns',
        uid: 'u',
        resourceVersion: '7',
        creationTimestamp: new Date('2024-05-01T10:00:00Z'),
        labels: { b: '2', a: '1' },
        annotations: { big: 'x'.repeat(1000) },
        managedFields: [{ manager: 'kubectl' }],
        ownerReferences: [
          { kind: 'Other', name: 'not-controller' },
          { kind: 'ReplicaSet', name: 'rs', controller: true },
        ],
      },
      spec: {
        nodeName: 'n1',
        initContainers: [
          { name: 'init', ports: [{ containerPort: 1 }] },
          { name: 'proxy', restartPolicy: 'Always', ports: [{ containerPort: 15001, name: 'envoy' }] },
        ],
        containers: [{ ports: [{ containerPort: 53, protocol: 'UDP', hostPort: 53 }, { containerPort: 8080 }] }],
      },
      status: {
        phase: 'Running',
        podIP: '10.1.1.1',
        podIPs: [{ ip: '10.1.1.1' }, { ip: 'FD00::0001' }],
        hostIP: '10.0.0.1',
      },
    }) as SlimPod;
    expect(slim).toMatchObject({
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns', uid: 'u', resourceVersion: '7' },
      labels: { a: '1', b: '2' },
      owner: { kind: 'ReplicaSet', name: 'rs' },
      created: Date.parse('2024-05-01T10:00:00Z'),
      nodeName: 'n1',
      hostNetwork: false,
      phase: 'Running',
      ips: [parseIp('10.1.1.1'), 'fd00::1'],
      hostIPs: [parseIp('10.0.0.1')],
    });
    expect(slim.ports).toEqual([
      { port: 53, ipProtocol: 17 },
      { port: 8080, ipProtocol: 6 },
      { port: 15001, ipProtocol: 6, name: 'envoy' },
    ]);
    expect(slim.hostPorts).toEqual([{ port: 53, ipProtocol: 17 }]);
    expect(JSON.stringify(slim)).not.toContain('managedFields');
    expect(JSON.stringify(slim)).not.toContain('xxxx');
  });

  it('shares labels and ports between pods of one workload', () => {
    const slimmer = createSlimmer();
    const make = (name: string) =>
      slimmer.slim('Pod', {
        metadata: { name, labels: { app: 'x' } },
        spec: { containers: [{ ports: [{ containerPort: 80 }] }] },
      }) as SlimPod;
    const [a, b] = [make('a'), make('b')];
    expect(a.labels).toBe(b.labels);
    expect(a.ports).toBe(b.ports);
  });

  it('collects service ClusterIPs (not "None"), externalIPs and load-balancer IPs, and numeric targetPorts', () => {
    const slim = createSlimmer().slim('Service', {
      metadata: { name: 's', namespace: 'ns' },
      spec: {
        clusterIP: '10.96.0.1',
        clusterIPs: ['10.96.0.1', 'fd00::a'],
        externalIPs: ['192.0.2.1'],
        ports: [
          { port: 80, targetPort: 8080 },
          { port: 443, targetPort: 'https', protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
      },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.1' }, { hostname: 'lb.example' }] } },
    }) as SlimService;
    expect(slim.ips).toEqual([parseIp('10.96.0.1'), 'fd00::a', parseIp('192.0.2.1'), parseIp('203.0.113.1')]);
    expect(slim.ports).toEqual([
      { port: 80, ipProtocol: 6, targetPort: 8080 },
      { port: 443, ipProtocol: 6, targetPort: 0 },
      { port: 53, ipProtocol: 17, targetPort: 53 },
    ]);
    expect(slim.selector).toBeUndefined();
    const headless = createSlimmer().slim('Service', {
      metadata: { name: 'h' },
      spec: { clusterIP: 'None', selector: { app: 'h' } },
    });
    expect(headless).toMatchObject({ ips: [], selector: { app: 'h' } });
  });

  it('reads EndpointSlice addresses and the service name; node Internal/External IPs', () => {
    const slimmer = createSlimmer();
    const s = slimmer.slim('EndpointSlice', {
      metadata: { name: 'x-1', namespace: 'ns', labels: { 'kubernetes.io/service-name': 'x' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.1.1.1'] }, { addresses: ['10.1.1.2'] }],
    }) as SlimEndpointSlice;
    expect(s).toMatchObject({ serviceName: 'x', addresses: [parseIp('10.1.1.1'), parseIp('10.1.1.2')] });
    const fqdn = slimmer.slim('EndpointSlice', {
      metadata: { name: 'f' },
      addressType: 'FQDN',
      endpoints: [{ addresses: ['a.example'] }],
    });
    expect(fqdn).toMatchObject({ addresses: [] });
    const n = slimmer.slim('Node', {
      metadata: { name: 'n' },
      status: {
        addresses: [
          { type: 'InternalIP', address: '10.0.0.1' },
          { type: 'Hostname', address: 'n' },
          { type: 'ExternalIP', address: '198.51.100.1' },
        ],
      },
    }) as SlimNode;
    expect(n.ips).toEqual([parseIp('10.0.0.1'), parseIp('198.51.100.1')]);
  });

  it('throws ObjectShapeError naming the object and the field', () => {
    const slimmer = createSlimmer();
    expect(() => slimmer.slim('Node', { metadata: { name: '' } })).toThrow(ObjectShapeError);
    expect(() =>
      slimmer.slim('Service', { metadata: { name: 's', namespace: 'ns' }, spec: { externalIPs: ['nope'] } }),
    ).toThrow(
      'Cannot read Service "ns/s": "nope" in spec.clusterIPs/externalIPs/status.loadBalancer is not an IP address',
    );
  });
});
