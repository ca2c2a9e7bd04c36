/**
 * The composition root of `flowmap serve`: builds every component from the config, starts them in dependency
 * order (identity, store, HTTP, collector) and stops them in reverse, flushing the open bucket on the way out.
 * @module
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ApiServer, createApi, createApiServer, createPrometheusSource, type ReadyState } from '../api/index.js';
import { type Collector, createCollector } from '../collector/index.js';
import type { StatusResponse } from '../contract/responses.js';
import type { Clock } from '../core/clock.js';
import type { EdgeWindow } from '../core/edge.js';
import { createPacketDecoder, type TemplatePacketDecoder } from '../decode/index.js';
import { createIdentity, type Identity } from '../enrich/kubernetes/index.js';
import type { KubeEnvironment } from '../enrich/kubernetes/kube-config.js';
import type { Lifecycle } from '../pipeline/contracts.js';
import { createFlowPipeline, type FlowPipeline } from '../pipeline/index.js';
import { createPrometheusSink, type PrometheusSink } from '../sinks/prometheus/index.js';
import { createEdgeStore, type EdgeSource, type EdgeStore, registerStoreMetrics } from '../sinks/store/index.js';
import type { FlowmapConfig } from './config.js';
import type { Log } from './logger.js';
import { createRateMeter } from './rate-meter.js';

export interface FlowmapDeps {
  readonly clock: Clock;
  readonly log: Log;
  readonly env: KubeEnvironment;
  readonly version: string;
  /** the built web UI (web/dist); the UI is not served when absent */
  readonly staticDir?: string;
}

export interface Flowmap extends Lifecycle {
  readonly config: FlowmapConfig;
  readonly identity: Identity;
  readonly decoder: TemplatePacketDecoder;
  readonly pipeline: FlowPipeline;
  readonly collector: Collector;
  readonly sink: PrometheusSink;
  readonly store: EdgeStore;
  readonly http: ApiServer;
  /** moves completed buckets into the store and waits until they are persisted (tests, shutdown) */
  flushToStore(final?: boolean): Promise<void>;
  status(): StatusResponse;
  ready(): ReadyState;
}

/** builds everything; throws ConfigError for bad configuration before anything starts */
export function createFlowmap(config: FlowmapConfig, deps: FlowmapDeps): Flowmap {
  const { clock, log } = deps;
  const startedAt = clock();
  const identity = createIdentity(config.identity, { clock, log, env: deps.env });
  const decoder = createPacketDecoder({ clock, templateConfig: config.decode.templates });
  const pipeline = createFlowPipeline(config.pipeline, { index: identity.index, clock });
  const sink = createPrometheusSink(config.prometheus, { clock });
  pipeline.onOriented((batch) => sink.observe(batch));
  const collector = createCollector(config.collector, {
    clock,
    decoder,
    consume: (records) => pipeline.push(records),
    log: { warn: (message) => log('warn', message) },
  });
  const store = createEdgeStore(config.store, { clock });
  const source: EdgeSource =
    config.api.source === 'prometheus' ? createPrometheusSource(config.api.prometheus, {}) : store;
  const records = createRateMeter(clock);
  const templateFile =
    config.decode.persistTemplates && config.store.backend === 'duckdb'
      ? join(config.store.dataDir, 'templates.json')
      : undefined;
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  let lastTemplateSave = 0;

  const kubernetesView = () => {
    const status = identity.status();
    const error = status.sources.find((s) => s.lastError)?.lastError;
    return {
      source: identity.live ? ('api' as const) : identity.snapshot ? ('snapshot' as const) : ('none' as const),
      synced: status.sources.every((s) => s.synced),
      ...(error ? { error } : {}),
    };
  };

  const status = (): StatusResponse => ({
    version: deps.version,
    startedAt,
    exporters: collector.exporters(),
    recordsPerSecond: records.rate(),
    kubernetes: kubernetesView(),
    liveEdges: pipeline.stats().aggregate.openEdges,
  });

  const ready = (): ReadyState => {
    const k = kubernetesView();
    const checks: Record<string, { ok: boolean; message?: string }> = {
      started: started ? { ok: true } : { ok: false, message: 'starting' },
      kubernetes: k.synced && !k.error ? { ok: true } : { ok: false, message: k.error ?? 'initial sync not complete' },
    };
    const storeError = store.stats().lastError;
    checks.store = storeError ? { ok: false, message: storeError } : { ok: true };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  };

  const live = (): readonly EdgeWindow[] => pipeline.openWindows();
  const labelCidrs = new Map(config.identity.cidrLabels.map((l) => [l.name, l.cidrs] as const));
  const app = createApi(config.api, {
    store: source,
    live,
    metrics: { contentType: sink.contentType, render: () => sink.render() },
    ready,
    status,
    clock,
    exportOptions: () => ({ cidrsFor: (node) => (node.label ? labelCidrs.get(node.label) : undefined) }),
    ...(deps.staticDir && existsSync(join(deps.staticDir, 'index.html')) ? { staticDir: deps.staticDir } : {}),
  });
  const http = createApiServer(config.api, app);

  sink.registerCollector(() => collector.stats());
  registerStoreMetrics(sink.registry, store);
  sink.registerStage('enrich', () => pipeline.stats().enrich);
  sink.registerStage('orient', () => pipeline.stats().orient);
  sink.registerStage('aggregate', () => pipeline.stats().aggregate);
  sink.registerKubernetes(() => {
    const k = kubernetesView();
    return { source: k.source, synced: k.synced, lastError: k.error };
  });
  sink.registerPipeline(() => ({ openEdges: status().liveEdges }));

  const flushToStore = async (final = false) => {
    const windows = pipeline.flush(clock(), final);
    if (windows.length > 0) await store.write(windows);
    await store.flush();
  };

  const saveTemplates = () => {
    if (!templateFile) return;
    try {
      mkdirSync(config.store.dataDir, { recursive: true });
      writeFileSync(`${templateFile}.tmp`, decoder.templates.save());
      renameSync(`${templateFile}.tmp`, templateFile);
    } catch (error) {
      log('warn', `Cannot save templates to "${templateFile}": ${(error as Error).message}`);
    }
  };

  const loadTemplates = () => {
    if (!templateFile || !existsSync(templateFile)) return;
    try {
      decoder.templates.load(readFileSync(templateFile, 'utf8'));
      log('info', `Loaded templates from "${templateFile}"`);
    } catch (error) {
      log('warn', `Cannot load templates from "${templateFile}": ${(error as Error).message}`);
    }
  };

  const tick = () => {
    records.observe(decoder.stats.records);
    const windows = pipeline.flush(clock(), false);
    if (windows.length > 0) {
      store.write(windows).catch((error: Error) => log('warn', `Cannot write edges to the store: ${error.message}`));
    }
    if (clock() - lastTemplateSave >= 60_000) {
      lastTemplateSave = clock();
      saveTemplates();
    }
  };

  return {
    config,
    identity,
    decoder,
    pipeline,
    collector,
    sink,
    store,
    http,
    flushToStore,
    status,
    ready,
    async start(signal) {
      // a failed start stops what already runs (open sockets and servers would keep the process alive), without
      // the final flush or template save of stop(): nothing was received, and saving could overwrite templates
      const running: Lifecycle[] = [];
      try {
        await identity.start(signal);
        running.push(identity);
        loadTemplates();
        lastTemplateSave = clock();
        for (const component of [store, http, collector]) {
          running.push(component); // before start: a collector with some listeners bound must close them
          await component.start(signal);
        }
      } catch (error) {
        for (const component of running.reverse()) await component.stop().catch(() => undefined);
        throw error;
      }
      timer = setInterval(tick, config.flushIntervalMs);
      timer.unref();
      started = true;
      const address = http.address();
      log('info', `flowmap ${deps.version} listening`, {
        http: address ? `${address.host}:${address.port}` : undefined,
        flows: collector.listeners().map((l) => `${l.transport}/${l.port}`),
      });
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      started = false;
      await collector.stop();
      try {
        await flushToStore(true);
      } catch (error) {
        log('warn', `Cannot write the last buckets to the store: ${(error as Error).message}`);
      }
      await http.stop();
      await store.stop();
      saveTemplates();
      await identity.stop();
    },
  };
}
