import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
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

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every text file of the build, once, at the
 * highest levels (too slow per request, free at build time). The server sends the copy the
 * browser accepts; a copy that would not be smaller is not written.
 */
function precompress(): Plugin {
  return {
    name: 'khomat-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? 'dist';
      const texts = Object.keys(bundle).filter((f) => /\.(js|mjs|css|html|svg|json|txt)$/.test(f));
      await Promise.all(
        texts.map(async (name) => {
          const file = path.join(dir, name);
          const data = await fs.readFile(file);
          const br = await brotli(data, {
            params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
          });
          const gz = await gzip(data, { level: 9 });
          if (br.length < data.length) await fs.writeFile(`${file}.br`, br);
          if (gz.length < data.length) await fs.writeFile(`${file}.gz`, gz);
        }),
      );
    },
  };
}

// The built UI is served by the KhoMật server on an isolated LAN: everything it needs is bundled,
// nothing is loaded from another host.
export default defineConfig({
  plugins: [react(), noOutsideDocLinks(), policyWithoutSideEffects(), precompress()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4000,
    assetsInlineLimit: 0,
    rolldownOptions: {
      output: {
        // React and the router change seldom and every screen needs them: one chunk, cached
        // across releases of the screens. Ant Design and the rest are split by use, so the
        // sign-in page fetches only the components it shows.
        codeSplitting: {
          groups: [{ name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/ }],
        },
      },
    },
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
