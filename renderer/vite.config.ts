import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const root = fileURLToPath(new URL('.', import.meta.url));

// base './' so the same build loads from a custom protocol (Electron) and from http (web mode).
// No inline scripts or network fonts: the CSP is default-src 'self'; style-src 'self' 'unsafe-inline'.
export default defineConfig({
  root,
  base: './',
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The module-preload polyfill would be an extra script for browsers we never run in.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 800,
  },
  server: { host: '127.0.0.1' },
});
