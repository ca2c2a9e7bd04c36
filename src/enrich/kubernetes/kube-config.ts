/**
 * Which API server to talk to: in-cluster service account, a kubeconfig file, or none. Invalid input fails
 * here, at startup, with a ConfigError naming the file and the problem.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../../core/errors.js';
import type { KubernetesConfig } from '../config.js';

/** the environment variables the choice depends on (pass process.env) */
export interface KubeEnvironment {
  readonly KUBERNETES_SERVICE_HOST?: string | undefined;
  readonly KUBERNETES_SERVICE_PORT?: string | undefined;
  readonly KUBECONFIG?: string | undefined;
  readonly HOME?: string | undefined;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export type KubeConfigChoice =
  | { readonly mode: 'off'; readonly reason: string }
  | { readonly mode: 'in-cluster' | 'kubeconfig'; readonly kubeConfig: KubeConfig; readonly source: string };

type Settings = Pick<KubernetesConfig, 'mode' | 'kubeconfig' | 'context'>;

function kubeconfigPath(config: Settings, env: KubeEnvironment): string | undefined {
  if (config.kubeconfig) return config.kubeconfig;
  const fromEnv = env.KUBECONFIG?.split(delimiter).find((p) => p !== '');
  if (fromEnv) return fromEnv;
  return env.HOME ? join(env.HOME, '.kube', 'config') : undefined;
}

/**
 * Resolves `config.mode` ("auto": off when snapshot files are given, else in-cluster inside a pod, else a
 * kubeconfig file when one exists, else off). Throws ConfigError for a missing or malformed kubeconfig, an
 * unknown context, or in-cluster mode outside a pod.
 */
export function chooseKubeConfig(config: Settings, env: KubeEnvironment, snapshotsGiven: boolean): KubeConfigChoice {
  let mode = config.mode;
  if (mode === 'auto') {
    if (snapshotsGiven) return { mode: 'off', reason: 'snapshot files given' };
    if (env.KUBERNETES_SERVICE_HOST) mode = 'in-cluster';
    else {
      const path = kubeconfigPath(config, env);
      if (!path || !existsSync(path)) return { mode: 'off', reason: 'not in a pod and no kubeconfig file found' };
      mode = 'kubeconfig';
    }
  }
  if (mode === 'off') return { mode: 'off', reason: 'kubernetes.mode is "off"' };
  if (mode === 'in-cluster') return { mode, kubeConfig: inCluster(env), source: 'in-cluster service account' };
  const path = kubeconfigPath(config, env);
  if (!path) throw new ConfigError('Cannot find a kubeconfig: set kubernetes.kubeconfig, $KUBECONFIG or $HOME');
  return { mode, kubeConfig: loadKubeconfigFile(path, config.context), source: path };
}

function inCluster(env: KubeEnvironment): KubeConfig {
  if (!env.KUBERNETES_SERVICE_HOST || !env.KUBERNETES_SERVICE_PORT) {
    throw new ConfigError(
      'Cannot use the in-cluster Kubernetes config: KUBERNETES_SERVICE_HOST/PORT are not set (not running in a pod?)',
    );
  }
  if (!existsSync(join(SERVICE_ACCOUNT_DIR, 'token'))) {
    throw new ConfigError(
      `Cannot use the in-cluster Kubernetes config: "${join(SERVICE_ACCOUNT_DIR, 'token')}" is missing (automountServiceAccountToken off?)`,
    );
  }
  const kc = new KubeConfig();
  kc.loadFromCluster();
  return kc;
}

/** loads and checks a kubeconfig file: parsable, a current (or the given) context, a cluster with a server URL */
export function loadKubeconfigFile(path: string, context?: string): KubeConfig {
  const fail = (reason: string, cause?: unknown): never => {
    throw new ConfigError(`Cannot load kubeconfig "${path}": ${reason}`, cause === undefined ? undefined : { cause });
  };
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    fail((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error), error);
  }
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(path);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    fail(text.trim() === '' ? 'the file is empty' : message, error);
  }
  if (context) {
    if (!kc.getContextObject(context)) fail(`context "${context}" is not defined`);
    kc.setCurrentContext(context);
  }
  const current = kc.getCurrentContext();
  if (!current) fail('no current-context (set one, or kubernetes.context)');
  const cluster = kc.getCurrentCluster();
  if (!cluster) fail(`context "${current}" names no cluster defined in the file`);
  try {
    new URL(cluster!.server);
  } catch (error) {
    fail(`cluster "${cluster!.name}" has an invalid server URL "${cluster!.server}"`, error);
  }
  return kc;
}
