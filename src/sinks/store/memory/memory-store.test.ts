import { runEdgeStoreContract } from '../contract.test-suite.js';
import { createMemoryStore, createMemoryStoreState, type MemoryStoreState } from './memory-store.js';

/** a "directory" of the in-memory store is the state object a restart hands over */
const states = new Map<string, MemoryStoreState>();

runEdgeStoreContract({
  name: 'memory',
  async create({ dir, clock, config }) {
    let state = states.get(dir);
    if (!state) {
      state = createMemoryStoreState();
      states.set(dir, state);
    }
    const store = createMemoryStore(config, { clock, state });
    await store.start(new AbortController().signal);
    return store;
  },
});
