import { describe, expect, it } from 'vitest';
import type { Endpoint } from './endpoint.js';
import { parseIp } from './ip.js';
import { mapNodeFromLabels, mapNodeLabels, mapNodeOf, mapPortOf } from './map-node.js';

const pod: Endpoint = {
  kind: 'pod',
  namespace: 'shop',
  name: 'frontend-7d9f-abcde',
  workload: { kind: 'Deployment', namespace: 'shop', name: 'frontend' },
};
const addr = parseIp('10.1.2.3')!;

describe('mapNodeOf()', () => {
  it('names a pod by its workload, its pod name or its namespace depending on the level', () => {
    expect(mapNodeOf(pod, addr, 'workload').id).toBe('workload:shop/Deployment/frontend');
    expect(mapNodeOf(pod, addr, 'pod')).toMatchObject({ id: 'pod:shop/frontend-7d9f-abcde', ip: '10.1.2.3' });
    expect(mapNodeOf(pod, addr, 'namespace').id).toBe('namespace:shop');
  });

  it('draws a Service with a known backend as that workload at workload level, with the target port', () => {
    const svc: Endpoint = {
      kind: 'service',
      namespace: 'shop',
      name: 'web',
      ports: [{ port: 80, ipProtocol: 6, targetPort: 8080 }],
      backend: { kind: 'Deployment', namespace: 'shop', name: 'frontend' },
    };
    expect(mapNodeOf(svc, addr, 'workload')).toEqual(mapNodeOf(pod, addr, 'workload'));
    expect(mapNodeOf(svc, addr, 'pod').id).toBe('service:shop/web');
    expect(mapPortOf(svc, 80, 6, 'workload')).toBe(8080);
    expect(mapPortOf(svc, 80, 6, 'pod')).toBe(80);
    expect(mapPortOf(svc, 81, 6, 'workload')).toBe(81);
    const { backend: _, ...plain } = svc;
    expect(mapNodeOf(plain, addr, 'workload').id).toBe('service:shop/web');
    expect(mapPortOf(plain, 80, 6, 'workload')).toBe(80);
  });

  it('names externals by label, then ASN, else unknown by IP', () => {
    expect(mapNodeOf({ kind: 'external', external: { label: 'corp-vpn' } }, addr, 'workload').id).toBe(
      'external:corp-vpn',
    );
    expect(
      mapNodeOf({ kind: 'external', external: { asn: 15169, org: 'Google LLC' } }, addr, 'workload'),
    ).toMatchObject({
      id: 'external:Google LLC',
      name: 'Google LLC',
      asn: 15169,
    });
    expect(mapNodeOf({ kind: 'unknown' }, addr, 'workload').id).toBe('unknown:10.1.2.3');
  });
});

describe('mapNodeFromLabels()', () => {
  it('inverts mapNodeLabels for workloads, services and nodes', () => {
    for (const endpoint of [
      pod,
      { kind: 'service', namespace: 'shop', name: 'cart' } as Endpoint,
      { kind: 'node', name: 'worker-1' } as Endpoint,
      { kind: 'external', external: { asn: 15169, org: 'Google LLC' } } as Endpoint,
      { kind: 'unknown' } as Endpoint,
    ]) {
      const node = mapNodeOf(endpoint, addr, 'workload');
      expect(mapNodeFromLabels(mapNodeLabels(node)).id).toBe(node.id);
    }
  });
});
