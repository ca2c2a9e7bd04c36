/**
 * Identity assembled from its config: the cluster index, its sources (snapshot files, live informers) and the
 * external naming (CIDR labels, ASN). The app creates it, starts it before the pipeline, reads `status()` for
 * /readyz, and stops it last.
 * @module
 */
import type { Clock } from '../../core/clock.js';
import type { Lifecycle } from '../../pipeline/contracts.js';
import { type ClusterIndex, createClusterIndex } from '../cluster-index.js';
import type { EnrichConfig } from '../config.js';
import type { MetadataSource } from '../contracts.js';
import { type AsnDatabase, createAsnDatabase } from '../external/asn-database.js';
import { createExternalResolver } from '../external/external-resolver.js';
import type { Log } from './informer.js';
import { chooseKubeConfig, type KubeEnvironment } from './kube-config.js';
import { createLiveSource, type LiveSource } from './live-source.js';
import { createSnapshotSource, type SnapshotSource } from './snapshot.js';

export interface IdentityDeps {
  readonly clock: Clock;
  readonly log: Log;
  /** pass process.env: it decides in-cluster versus kubeconfig in mode "auto" */
  readonly env: KubeEnvironment;
  /** where the ASN CSV files are; default the installed @ip-location-db/asn package */
  readonly asnDirectory?: string;
}

export interface SourceStatus {
  readonly name: string;
  readonly synced: boolean;
  readonly lastError: string | undefined;
}

export interface IdentityStatus {
  /** every source synced and none failing: what /readyz reports */
  readonly ready: boolean;
  readonly sources: readonly SourceStatus[];
}

export interface Identity extends Lifecycle {
  readonly index: ClusterIndex;
  readonly snapshot: SnapshotSource | undefined;
  readonly live: LiveSource | undefined;
  readonly asn: AsnDatabase | undefined;
  status(): IdentityStatus;
}

/**
 * Throws ConfigError at once for a malformed kubeconfig or an impossible mode; snapshot files are read by
 * `start`, which rejects with ConfigError for a bad one. `start` does not wait for the live source to sync.
 */
export function createIdentity(config: EnrichConfig, deps: IdentityDeps): Identity {
  const asn = config.asn ? createAsnDatabase(deps.asnDirectory ? { directory: deps.asnDirectory } : {}) : undefined;
  const external = createExternalResolver({ cidrLabels: config.cidrLabels }, { asn });
  const index = createClusterIndex(
    { tombstoneGraceMs: config.tombstoneGraceMs, workloadLabel: config.workloadLabel },
    { clock: deps.clock, external },
  );
  const snapshot = config.snapshots.length ? createSnapshotSource({ paths: config.snapshots }, { index }) : undefined;
  const choice = chooseKubeConfig(config.kubernetes, deps.env, config.snapshots.length > 0);
  const live =
    choice.mode === 'off'
      ? undefined
      : createLiveSource(config.kubernetes, { index, kubeConfig: choice.kubeConfig, log: deps.log });
  if (choice.mode === 'off') deps.log('info', `Kubernetes API not used: ${choice.reason}`);
  else deps.log('info', `Kubernetes API from ${choice.source}`);
  const sources: MetadataSource[] = [snapshot, live].filter((s): s is SnapshotSource | LiveSource => !!s);

  return {
    index,
    snapshot,
    live,
    asn,
    async start(signal) {
      await snapshot?.start(signal);
      await live?.start(signal);
      asn?.load().then(
        () => asn.lastError && deps.log('warn', asn.lastError),
        () => {},
      );
    },
    async stop() {
      await live?.stop();
      await snapshot?.stop();
    },
    status() {
      const list = sources.map((s) => ({ name: s.name, synced: s.synced, lastError: s.lastError }));
      return { ready: list.every((s) => s.synced && s.lastError === undefined), sources: list };
    },
  };
}
