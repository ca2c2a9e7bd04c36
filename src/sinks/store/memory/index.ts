export {
  createMemoryStore,
  createMemoryStoreState,
  type MemoryStoreDeps,
  type MemoryStoreState,
} from './memory-store.js';
