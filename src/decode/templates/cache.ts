/**
 * The template cache: templates keyed by (exporter, version, observation domain, template id), each with an expiry
 * read from an injected clock, bounded in number per exporter and in total, plus the options-data state of each
 * (exporter, version, domain): sampling rates by sampler id and the exporter's system init time.
 * Not thread-safe (one decoder at a time); `save()`/`load()` carry it across restarts.
 * @module
 */
import type { Clock } from '../../core/clock.js';
import { type TemplateCacheConfig, templateCacheConfig } from './config.js';
import { loadSnapshot, type Snapshot, snapshotOf } from './persist.js';
import { type CompiledTemplate, compileTemplate, type TemplateDefinition } from './template.js';

/** the templates and options state of one (exporter, version, observation domain) */
export interface TemplateScope {
  readonly exporter: string;
  readonly version: 9 | 10;
  readonly domain: number;
  /** sampling rate by sampler id (-1: announced without a sampler id) */
  readonly sampling: ReadonlyMap<number, number>;
  /** IPFIX systemInitTimeMilliseconds from options data, -1 when unknown */
  readonly sysInitMs: number;
}

/** result of announcing a template */
export type PutResult = 'stored' | 'limit';

export interface TemplateCache {
  /** the scope of a packet, or undefined when nothing is known about it */
  find(exporter: string, version: 9 | 10, domain: number): TemplateScope | undefined;
  /** a live template, or undefined (unknown or expired: an expired one is removed) */
  get(scope: TemplateScope, id: number, now: number): CompiledTemplate | undefined;
  /** stores or refreshes a template; 'limit' when a bound refused it */
  put(exporter: string, version: 9 | 10, domain: number, def: TemplateDefinition, now: number): PutResult;
  /** IPFIX template withdrawal: `id` 2 withdraws every data template, 3 every options template of the domain */
  withdraw(exporter: string, version: 9 | 10, domain: number, id: number): void;
  setSamplingRate(exporter: string, version: 9 | 10, domain: number, samplerId: number, rate: number): void;
  setSystemInit(exporter: string, version: 9 | 10, domain: number, ms: number): void;
  /** number of live templates held (expired ones may count until touched) */
  readonly size: number;
  /** everything needed to decode data at once after a restart, as JSON text */
  save(): string;
  /** adds the templates and options state of `save()` output (throws a TypeError when the text is not one) */
  load(json: string): void;
}

interface Entry {
  readonly key: string;
  readonly scope: Scope;
  readonly template: CompiledTemplate;
  expiresAt: number;
}

class Scope implements TemplateScope {
  readonly templates = new Map<number, Entry>();
  readonly sampling = new Map<number, number>();
  sysInitMs = -1;
  constructor(
    readonly key: string,
    readonly exporter: string,
    readonly version: 9 | 10,
    readonly domain: number,
  ) {}
}

/** the template cache; `config` defaults are those of `templateCacheConfig` */
export function createTemplateCache(
  config: Partial<TemplateCacheConfig> = {},
  deps: { readonly clock: Clock },
): TemplateCache {
  const cfg = templateCacheConfig.parse(config);
  const scopes = new Map<string, Scope>();
  /** every entry, least recently announced first */
  const lru = new Map<string, Entry>();
  const perExporter = new Map<string, number>();

  const scopeKey = (exporter: string, version: number, domain: number) => `${exporter}|${version}|${domain}`;

  function scopeFor(exporter: string, version: 9 | 10, domain: number): Scope {
    const key = scopeKey(exporter, version, domain);
    let scope = scopes.get(key);
    if (!scope) {
      scope = new Scope(key, exporter, version, domain);
      scopes.set(key, scope);
    }
    return scope;
  }

  function remove(entry: Entry): void {
    lru.delete(entry.key);
    entry.scope.templates.delete(entry.template.def.id);
    const count = (perExporter.get(entry.scope.exporter) ?? 1) - 1;
    if (count > 0) perExporter.set(entry.scope.exporter, count);
    else perExporter.delete(entry.scope.exporter);
    if (entry.scope.templates.size === 0) scopes.delete(entry.scope.key);
  }

  function purgeExpired(now: number): void {
    for (const entry of lru.values()) {
      if (entry.expiresAt > now) return;
      remove(entry);
    }
  }

  function put(exporter: string, version: 9 | 10, domain: number, def: TemplateDefinition, now: number): PutResult {
    if (def.ids.length > cfg.maxFieldsPerTemplate) return 'limit';
    const scope = scopeFor(exporter, version, domain);
    const old = scope.templates.get(def.id);
    if (old) remove(old);
    else {
      if (lru.size >= cfg.maxTemplates) purgeExpired(now);
      const count = perExporter.get(exporter) ?? 0;
      if (lru.size >= cfg.maxTemplates || count >= cfg.maxTemplatesPerExporter) {
        if (scope.templates.size === 0 && scope.sampling.size === 0) scopes.delete(scope.key);
        return 'limit';
      }
    }
    const entry: Entry = {
      key: `${scope.key}|${def.id}`,
      scope,
      template: compileTemplate(def, version),
      expiresAt: now + cfg.ttlMs,
    };
    scopes.set(scope.key, scope);
    scope.templates.set(def.id, entry);
    lru.set(entry.key, entry);
    perExporter.set(exporter, (perExporter.get(exporter) ?? 0) + 1);
    return 'stored';
  }

  const cache: TemplateCache = {
    find: (exporter, version, domain) => scopes.get(scopeKey(exporter, version, domain)),
    get(scope, id, now) {
      const entry = (scope as Scope).templates.get(id);
      if (!entry) return undefined;
      if (entry.expiresAt > now) return entry.template;
      remove(entry);
      return undefined;
    },
    put,
    withdraw(exporter, version, domain, id) {
      const scope = scopes.get(scopeKey(exporter, version, domain));
      if (!scope) return;
      if (id !== 2 && id !== 3) {
        const entry = scope.templates.get(id);
        if (entry) remove(entry);
        return;
      }
      const kind = id === 2 ? 'data' : 'options';
      for (const entry of [...scope.templates.values()]) if (entry.template.def.kind === kind) remove(entry);
    },
    setSamplingRate(exporter, version, domain, samplerId, rate) {
      const scope = scopes.get(scopeKey(exporter, version, domain));
      if (!scope || (!scope.sampling.has(samplerId) && scope.sampling.size >= cfg.maxSamplersPerScope)) return;
      scope.sampling.set(samplerId, rate);
    },
    setSystemInit(exporter, version, domain, ms) {
      const scope = scopes.get(scopeKey(exporter, version, domain));
      if (scope) scope.sysInitMs = ms;
    },
    get size() {
      return lru.size;
    },
    save() {
      return JSON.stringify(
        snapshotOf([...scopes.values()].map((s) => ({ scope: s, entries: [...s.templates.values()] }))),
      );
    },
    load(json) {
      const snapshot: Snapshot = loadSnapshot(json);
      for (const s of snapshot.scopes) {
        for (const t of s.templates) {
          if (put(s.exporter, s.version, s.domain, t.def, deps.clock()) !== 'stored') continue;
          const entry = scopes.get(scopeKey(s.exporter, s.version, s.domain))?.templates.get(t.def.id);
          if (entry) entry.expiresAt = t.expiresAt;
        }
        for (const [samplerId, rate] of s.sampling)
          cache.setSamplingRate(s.exporter, s.version, s.domain, samplerId, rate);
        if (s.sysInitMs >= 0) cache.setSystemInit(s.exporter, s.version, s.domain, s.sysInitMs);
      }
    },
  };
  return cache;
}
