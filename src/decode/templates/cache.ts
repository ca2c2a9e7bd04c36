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

const scopeKey = (exporter: string, version: number, domain: number) => `${exporter}|${version}|${domain}`;

class TemplateStore implements TemplateCache {
  private readonly scopes = new Map<string, Scope>();
  /** every entry, least recently announced first (a refresh moves it to the end) */
  private readonly lru = new Map<string, Entry>();
  private readonly perExporter = new Map<string, number>();

  constructor(
    private readonly cfg: TemplateCacheConfig,
    private readonly clock: Clock,
  ) {}

  get size(): number {
    return this.lru.size;
  }

  find(exporter: string, version: 9 | 10, domain: number): TemplateScope | undefined {
    return this.scopes.get(scopeKey(exporter, version, domain));
  }

  get(scope: TemplateScope, id: number, now: number): CompiledTemplate | undefined {
    const entry = (scope as Scope).templates.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt > now) return entry.template;
    this.remove(entry);
    return undefined;
  }

  put(exporter: string, version: 9 | 10, domain: number, def: TemplateDefinition, now: number): PutResult {
    if (def.ids.length > this.cfg.maxFieldsPerTemplate) return 'limit';
    const key = scopeKey(exporter, version, domain);
    const scope = this.scopes.get(key) ?? new Scope(key, exporter, version, domain);
    const old = scope.templates.get(def.id);
    if (old) this.remove(old);
    else if (!this.hasRoom(exporter, now)) return 'limit';
    const template = compileTemplate(def, version);
    const entry: Entry = { key: `${key}|${def.id}`, scope, template, expiresAt: now + this.cfg.ttlMs };
    this.scopes.set(key, scope);
    scope.templates.set(def.id, entry);
    this.lru.set(entry.key, entry);
    this.perExporter.set(exporter, (this.perExporter.get(exporter) ?? 0) + 1);
    return 'stored';
  }

  withdraw(exporter: string, version: 9 | 10, domain: number, id: number): void {
    const scope = this.scopes.get(scopeKey(exporter, version, domain));
    if (!scope) return;
    if (id !== 2 && id !== 3) {
      const entry = scope.templates.get(id);
      if (entry) this.remove(entry);
      return;
    }
    const kind = id === 2 ? 'data' : 'options';
    for (const entry of [...scope.templates.values()]) if (entry.template.def.kind === kind) this.remove(entry);
  }

  setSamplingRate(exporter: string, version: 9 | 10, domain: number, samplerId: number, rate: number): void {
    const scope = this.scopes.get(scopeKey(exporter, version, domain));
    if (!scope || (!scope.sampling.has(samplerId) && scope.sampling.size >= this.cfg.maxSamplersPerScope)) return;
    scope.sampling.set(samplerId, rate);
  }

  setSystemInit(exporter: string, version: 9 | 10, domain: number, ms: number): void {
    const scope = this.scopes.get(scopeKey(exporter, version, domain));
    if (scope) scope.sysInitMs = ms;
  }

  save(): string {
    return JSON.stringify(
      snapshotOf([...this.scopes.values()].map((s) => ({ scope: s, entries: [...s.templates.values()] }))),
    );
  }

  load(json: string): void {
    const snapshot: Snapshot = loadSnapshot(json);
    for (const s of snapshot.scopes) {
      for (const t of s.templates) {
        if (this.put(s.exporter, s.version, s.domain, t.def, this.clock()) !== 'stored') continue;
        const entry = this.scopes.get(scopeKey(s.exporter, s.version, s.domain))?.templates.get(t.def.id);
        if (entry) entry.expiresAt = t.expiresAt;
      }
      for (const [samplerId, rate] of s.sampling)
        this.setSamplingRate(s.exporter, s.version, s.domain, samplerId, rate);
      if (s.sysInitMs >= 0) this.setSystemInit(s.exporter, s.version, s.domain, s.sysInitMs);
    }
  }

  /** whether a new template of `exporter` fits; expired templates are purged first when the total bound is hit */
  private hasRoom(exporter: string, now: number): boolean {
    if (this.lru.size >= this.cfg.maxTemplates) {
      for (const entry of this.lru.values()) {
        if (entry.expiresAt > now) break;
        this.remove(entry);
      }
    }
    return (
      this.lru.size < this.cfg.maxTemplates && (this.perExporter.get(exporter) ?? 0) < this.cfg.maxTemplatesPerExporter
    );
  }

  private remove(entry: Entry): void {
    const { scope } = entry;
    this.lru.delete(entry.key);
    scope.templates.delete(entry.template.def.id);
    const count = (this.perExporter.get(scope.exporter) ?? 1) - 1;
    if (count > 0) this.perExporter.set(scope.exporter, count);
    else this.perExporter.delete(scope.exporter);
    if (scope.templates.size === 0) this.scopes.delete(scope.key);
  }
}

/** the template cache; `config` defaults are those of `templateCacheConfig` */
export function createTemplateCache(
  config: Partial<TemplateCacheConfig> = {},
  deps: { readonly clock: Clock },
): TemplateCache {
  return new TemplateStore(templateCacheConfig.parse(config), deps.clock);
}
