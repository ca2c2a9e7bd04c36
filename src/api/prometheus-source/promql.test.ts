import { describe, expect, it } from 'vitest';
import { mapNodeFromLabels, mapNodeLabels } from '../../core/map-node.js';
import { QueryError } from '../../sinks/store/index.js';
import { externalNode, hostNode, serviceNode, unknownNode, workloadNode } from '../../sinks/store/testing.js';
import { increaseBy, labelsOfNodeId, matchersOf, quote } from './promql.js';

describe('labelsOfNodeId()', () => {
  it.each([
    workloadNode('shop', 'cart'),
    workloadNode('db', 'pg', 'StatefulSet'),
    serviceNode('shop', 'cart'),
    hostNode('worker-1'),
    externalNode('Google LLC', 15169),
    unknownNode('2001:db8::1'),
  ])('inverts mapNodeFromLabels for $id', (node) => {
    const labels = labelsOfNodeId(node.id);
    expect(labels).toEqual(mapNodeLabels(node));
    expect(mapNodeFromLabels(labels as Required<typeof labels>).id).toBe(node.id);
  });

  it('selects a whole namespace by its label and refuses pod ids', () => {
    expect(labelsOfNodeId('namespace:shop')).toEqual({ namespace: 'shop' });
    expect(() => labelsOfNodeId('pod:shop/cart-1')).toThrow(QueryError);
  });
});

describe('matchersOf()', () => {
  it('turns a selector into escaped label matchers plus the configured ones', () => {
    expect(
      matchersOf(
        { client: 'namespace:shop', server: 'external:Evil "Corp"\\', port: 443, ipProtocol: 6 },
        'cluster="prod"',
      ),
    ).toBe(
      'client_namespace="shop",client_namespace!="",server_namespace="",server_kind="external",server_name="Evil \\"Corp\\"\\\\",port="443",protocol="TCP",cluster="prod"',
    );
    expect(matchersOf({}, '')).toBe('');
  });

  it('quotes newlines', () => {
    expect(quote('a\nb')).toBe('"a\\nb"');
  });
});

describe('increaseBy()', () => {
  it('sums the increase over the window by the given labels; connections have no direction', () => {
    expect(increaseBy('flowmap_edge', 'bytes', 'port="80"', 90_000, ['port', 'direction'])).toBe(
      'sum by (port,direction) (increase(flowmap_edge_bytes_total{port="80"}[90s]))',
    );
    expect(increaseBy('flowmap_edge', 'connections', '', 400, ['port', 'direction'])).toBe(
      'sum by (port) (increase(flowmap_edge_connections_total{}[1s]))',
    );
  });
});
