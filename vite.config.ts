import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The dashboard (web/) builds into dist/web, which `beast serve` serves at `/`. Everything is bundled:
 * no CDN and no web fonts, so the dashboard works offline. `tsc -p tsconfig.build.json` writes
 * the rest of dist/ and leaves dist/web alone; emptyOutDir clears only dist/web.
 */
export default defineConfig({
  root: fileURLToPath(new URL('web', import.meta.url)),
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
  // `vite` (the dev server) forwards the API to a `beast serve` running on its default port.
  server: { proxy: { '/api': 'http://127.0.0.1:4700' } },
});
