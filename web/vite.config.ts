import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * The UI is built into web/dist with relative asset URLs (base './'), so `flowmap serve` can mount it at `/` or
 * behind any path prefix. `FLOWMAP_API=http://host:port npx vite --config web/vite.config.ts` proxies /api in dev.
 */
export default defineConfig({
  root,
  base: './',
  build: {
    outDir: `${root}/dist`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'cytoscape', test: /node_modules[\\/]cytoscape/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
          ],
        },
      },
    },
  },
  server: process.env.FLOWMAP_API ? { proxy: { '/api': process.env.FLOWMAP_API } } : {},
});
