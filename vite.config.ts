import { defineConfig } from 'vite';

// The renderer is plain React compiled by Vite's built-in JSX transform; no dev server plugin is needed
// because Ferry serves the built files itself (browser host) or loads them from disk (Electron).
export default defineConfig({
  root: 'renderer',
  base: './',
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true },
  oxc: { jsx: { runtime: 'automatic' } },
});
