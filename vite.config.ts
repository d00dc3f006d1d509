import { vitePlugin as remix } from '@remix-run/dev';
import { NodePackageImporter } from 'sass';
import { defineConfig } from 'vite';
import tsconfigPaths from 'vite-tsconfig-paths';
import remixConfig from './remix.config.js';

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: { port: 3000 },
  css: {
    preprocessorOptions: {
      scss: { api: 'modern-compiler', importers: [new NodePackageImporter()], quietDeps: true },
    },
  },
  build: { target: 'es2022' },
  // Server-only native packages: keep Vite's dev dependency scan away from them.
  optimizeDeps: { exclude: ['@node-rs/argon2', 'better-sqlite3'] },
  // The Remix plugin is left out under Vitest (a known incompatibility).
  plugins: [process.env.VITEST ? null : remix(remixConfig), tsconfigPaths()],
});
