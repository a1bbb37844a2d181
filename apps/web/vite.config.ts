import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Libraries put links to their online documentation in error message texts. Nothing is loaded
 * from them, but the built UI must name no outside host at all (isolated LAN), so the scheme is
 * dropped: the message still says where to read more.
 */
function noOutsideDocLinks(): Plugin {
  const links = [/https:\/\/react\.dev\/errors\//g, /https:\/\/reactrouter\.com\//g];
  return {
    name: 'khomat-no-outside-doc-links',
    apply: 'build',
    renderChunk(code) {
      let out = code;
      for (const re of links) out = out.replace(re, (m) => m.slice('https://'.length));
      return out === code ? null : { code: out, map: null };
    },
  };
}

/**
 * @khomat/policy is pure data and types shared with the server, but its index re-exports every
 * table, some of which are validated with zod. Declaring its modules free of side effects lets
 * the bundler drop the tables (and zod) that the UI does not import.
 */
function policyWithoutSideEffects(): Plugin {
  return {
    name: 'khomat-policy-side-effect-free',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]packages[\\/]policy[\\/]src[\\/]/.test(id) || /\.test\.ts$/.test(id)) return null;
      return { code, map: null, moduleSideEffects: false };
    },
  };
}

// The built UI is served by the KhoMật server on an isolated LAN: everything it needs is bundled,
// nothing is loaded from another host.
export default defineConfig({
  plugins: [react(), noOutsideDocLinks(), policyWithoutSideEffects()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4000,
    assetsInlineLimit: 0,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
