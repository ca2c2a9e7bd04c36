export { createDuckDbStore, DATABASE_FILE, type DuckDbStoreDeps } from './duckdb-store.js';
