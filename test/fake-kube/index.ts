/**
 * A fake Kubernetes API server for tests and demos, speaking the protocol `@kubernetes/client-node` informers
 * use. See README.md beside this file for the API.
 * @module
 */
import { type FakeKubeOptions, FakeKubeServer } from './server.js';

export { collectionPath, parseResourcePath, RESOURCE_TYPES, type ResourceType, resourceByKind } from './resources.js';
export { type FakeKubeOptions, FakeKubeServer, type RequestRecord } from './server.js';
export type { HistoryEvent, KubeJson, WatchEventType } from './store.js';

/** starts a server on 127.0.0.1 (port 0 = ephemeral unless `options.port`); close it with `close()` */
export async function startFakeKube(options: FakeKubeOptions = {}): Promise<FakeKubeServer> {
  const server = new FakeKubeServer(options);
  await server.listen();
  return server;
}
