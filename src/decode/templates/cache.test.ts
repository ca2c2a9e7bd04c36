import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../core/flow.js';
import { createPacketDecoder } from '../decoder.js';
import { concat, ipfixMessage, ipfixTemplates, ipv4, set, u16, v9Packet, v9Templates } from '../testing.js';
import { createTemplateCache } from './cache.js';
import type { TemplateDefinition } from './template.js';

const def = (id: number, fields = 2): TemplateDefinition => ({
  id,
  kind: 'data',
  scopeCount: 0,
  ids: [8, 12, 7].slice(0, fields),
  enterprises: [0, 0, 0].slice(0, fields),
  lengths: [4, 4, 2].slice(0, fields),
});

describe('createTemplateCache()', () => {
  it('keys templates by exporter, version, observation domain and template id', () => {
    const cache = createTemplateCache({}, { clock: () => 0 });
    cache.put('10.0.0.1', 9, 1, def(256), 0);
    for (const [exporter, version, domain] of [
      ['10.0.0.2', 9, 1],
      ['10.0.0.1', 10, 1],
      ['10.0.0.1', 9, 2],
    ] as const) {
      expect(cache.find(exporter, version, domain)).toBeUndefined();
    }
    const scope = cache.find('10.0.0.1', 9, 1)!;
    expect(cache.get(scope, 256, 0)?.def.id).toBe(256);
    expect(cache.get(scope, 257, 0)).toBeUndefined();
  });

  it('expires a template ttlMs after its last announcement, read from the injected clock', () => {
    let now = 1_000;
    const decoder = createPacketDecoder({ clock: () => now, templateConfig: { ttlMs: 60_000 } });
    const header = { sysUptime: 1, unixSecs: 1 };
    const template = v9Packet(
      header,
      v9Templates([
        256,
        [
          [8, 4],
          [12, 4],
        ],
      ]),
    );
    const data = v9Packet(header, set(256, concat(ipv4('10.0.0.1'), ipv4('10.0.0.2'))));
    const out: FlowRecord[] = [];
    const call = { exporter: 'e', receivedAt: 0, out };
    decoder.decode(template, call);
    now += 59_999;
    decoder.decode(data, call);
    decoder.decode(template, call);
    now += 59_999;
    decoder.decode(data, call);
    now += 2;
    decoder.decode(data, call);
    expect(out).toHaveLength(2);
    expect(decoder.stats.dropped).toEqual({ 'template-missing': 1 });
    expect(decoder.templates.size).toBe(0);
  });

  it('bounds templates per exporter and in total; refreshes stay allowed and expired ones make room', () => {
    let now = 0;
    const cache = createTemplateCache(
      { maxTemplates: 4, maxTemplatesPerExporter: 3, ttlMs: 100 },
      { clock: () => now },
    );
    expect([256, 257, 258, 259].map((id) => cache.put('a', 10, 0, def(id), now))).toEqual([
      'stored',
      'stored',
      'stored',
      'limit',
    ]);
    expect(cache.put('a', 10, 0, def(256, 3), now)).toBe('stored');
    expect(cache.put('b', 10, 0, def(256), now)).toBe('stored');
    expect(cache.put('c', 10, 0, def(256), now)).toBe('limit');
    now = 101;
    expect(cache.put('c', 10, 0, def(256), now)).toBe('stored');
    expect(cache.size).toBe(1);
  });

  it('refuses templates with more fields than maxFieldsPerTemplate and counts template-limit', () => {
    const decoder = createPacketDecoder({ clock: () => 0, templateConfig: { maxFieldsPerTemplate: 2 } });
    const fields = [
      [8, 4],
      [12, 4],
      [7, 2],
    ] as const;
    decoder.decode(ipfixMessage({ exportTime: 1 }, ipfixTemplates([256, fields], [257, fields.slice(0, 2)])), {
      exporter: 'e',
      receivedAt: 0,
      out: [],
    });
    expect(decoder.stats).toMatchObject({ templates: 1, dropped: { 'template-limit': 1 } });
  });

  it('saves and loads templates, expiry, sampling rates and system init time', () => {
    const cache = createTemplateCache({}, { clock: () => 10 });
    cache.put('10.0.0.1', 10, 7, def(300, 3), 10);
    cache.put('10.0.0.1', 10, 7, { ...def(301), kind: 'options', scopeCount: 1 }, 10);
    cache.setSamplingRate('10.0.0.1', 10, 7, 3, 512);
    cache.setSystemInit('10.0.0.1', 10, 7, 1_600_000_000_000);
    const copy = createTemplateCache({}, { clock: () => 20 });
    copy.load(cache.save());
    const scope = copy.find('10.0.0.1', 10, 7)!;
    expect(copy.get(scope, 300, 20)?.def).toEqual(def(300, 3));
    expect(copy.get(scope, 301, 20)?.def.kind).toBe('options');
    expect(scope.sampling.get(3)).toBe(512);
    expect(scope.sysInitMs).toBe(1_600_000_000_000);
    expect(copy.save()).toBe(cache.save());
  });

  it('rejects text that is not a saved cache', () => {
    const cache = createTemplateCache({}, { clock: () => 0 });
    expect(() => cache.load('{')).toThrow(TypeError);
    expect(() => cache.load('{"format":"other","scopes":[]}')).toThrow(/Cannot load templates/);
  });

  it('decodes data at once after a restart from save() output', () => {
    const first = createPacketDecoder({ clock: () => 0 });
    const call = { exporter: 'e', receivedAt: 0, out: [] as FlowRecord[] };
    first.decode(
      ipfixMessage(
        { exportTime: 1 },
        ipfixTemplates([
          256,
          [
            [8, 4],
            [12, 4],
            [7, 2],
          ],
        ]),
      ),
      call,
    );
    const templates = createTemplateCache({}, { clock: () => 0 });
    templates.load(first.templates.save());
    const second = createPacketDecoder({ clock: () => 0, templates });
    second.decode(ipfixMessage({ exportTime: 1 }, set(256, concat(ipv4('10.0.0.1'), ipv4('10.0.0.2'), u16(80)))), call);
    expect(call.out).toHaveLength(1);
    expect(second.stats.dropped).toEqual({});
  });
});
