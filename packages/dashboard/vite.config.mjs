// Builds the dashboard into the daemon package (packages/daemon/dist/dashboard), which serves it: the assets
// ship with the daemon, so nothing is built at run time and nothing comes from a CDN.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Prefresh and devtools are for `vite dev`; the build needs the JSX transform and preact/compat aliases only.
  plugins: [preact({ prefreshEnabled: false, devToolsEnabled: false })],
  build: {
    outDir: fileURLToPath(new URL('../daemon/dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    // The polyfill would be injected as an inline script, which the page's CSP refuses (and Chromium has it).
    modulePreload: { polyfill: false },
    // No inlined data: URLs for scripts; small images may be (img-src allows data:).
    assetsInlineLimit: 2048,
    target: 'es2022',
    reportCompressedSize: false,
  },
});
