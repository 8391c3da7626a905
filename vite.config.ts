import { defineConfig } from 'vite';

// The renderer is plain React compiled by Vite's built-in JSX transform; no dev server plugin is needed
// because Ferry serves the built files itself (browser host) or loads them from disk (Electron).
export default defineConfig({
  root: 'renderer',
  base: './',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    // Fluent UI marks its modules "use client" (for server components); a browser bundle has no use for it.
    // One bundle loaded from disk or 127.0.0.1: its size is not a network cost.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
});
