import { describe, expect, it } from 'vitest';
import { UNKNOWN_ENDPOINT } from '../core/endpoint.js';
import { parseIp } from '../core/ip.js';
import { createStaticIndex, describeEndpoint, podEndpointFor, serviceEndpointFor } from './testing.js';

describe('createStaticIndex()', () => {
  const pod = podEndpointFor('shop', 'cart-1', 'cart');
  const later = podEndpointFor('shop', 'cart-2', 'cart');
  const host = podEndpointFor('kube-system', 'cilium-x', 'cilium', 'DaemonSet');
  const svc = serviceEndpointFor('shop', 'cart');
  const index = createStaticIndex(
    [
      { ip: '10.244.1.5', endpoint: pod, to: 100 },
      { ip: '10.244.1.5', endpoint: later, from: 101 },
      { ip: '10.0.0.11', endpoint: host, port: 4240, ipProtocol: 6 },
      { ip: '10.96.0.5', endpoint: svc },
    ],
    { backends: { 'shop/cart': ['10.244.1.5'] } },
  );

  it('answers by time and port, returning the given objects', () => {
    expect(index.lookup(parseIp('10.244.1.5')!, 50)).toBe(pod);
    expect(index.lookup(parseIp('10.244.1.5')!, 500)).toBe(later);
    expect(index.lookup(parseIp('10.0.0.11')!, 0, 4240, 6)).toBe(host);
    expect(index.lookup(parseIp('10.0.0.11')!, 0, 22, 6)).toBe(UNKNOWN_ENDPOINT);
    expect(describeEndpoint(index.lookup(parseIp('10.96.0.5')!, 0))).toBe('service shop/cart');
  });

  it('answers isServiceBackend from the backends table', () => {
    expect(index.isServiceBackend(svc, parseIp('10.244.1.5')!, 0)).toBe(true);
    expect(index.isServiceBackend(svc, parseIp('10.244.1.6')!, 0)).toBe(false);
  });
});
