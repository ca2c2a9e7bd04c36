import type { Clock } from '../../core/clock.js';
import type { StoreConfig } from './config.js';
import type { EdgeStore } from './contracts.js';
import { createDuckDbStore } from './duckdb/index.js';
import { createMemoryStore, type MemoryStoreState } from './memory/index.js';

export interface EdgeStoreDeps {
  readonly clock: Clock;
  /** memory backend only: history to continue from */
  readonly memoryState?: MemoryStoreState;
}

/** the store `config.backend` names; call `start` before querying */
export function createEdgeStore(config: StoreConfig, deps: EdgeStoreDeps): EdgeStore {
  if (config.backend === 'memory') {
    return createMemoryStore(config, deps.memoryState ? { clock: deps.clock, state: deps.memoryState } : deps);
  }
  return createDuckDbStore(config, deps);
}
