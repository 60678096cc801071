// Vite builds web/ into web/dist/, which CMake compiles into the duban
// binary (src/http/static.c serves it).  Element Plus components are
// imported on demand so that each route's chunk carries only what it uses.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// The binary serves X.gz for X to clients that accept gzip (static.c): the
// text files are written a second time, compressed, when that saves enough.
function precompress() {
  let outDir
  return {
    name: 'duban-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir
    },
    closeBundle() {
      const walk = (dir) => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name)
          if (statSync(path).isDirectory()) walk(path)
          else if (/\.(js|mjs|css|html|svg|json|txt)$/.test(name)) {
            const raw = readFileSync(path)
            if (raw.length < 1024) continue
            const gz = gzipSync(raw, { level: 9 })
            if (gz.length < raw.length * 0.9) writeFileSync(`${path}.gz`, gz)
          }
        }
      }
      walk(outDir)
    },
  }
}

export default defineConfig({
  base: '/',
  define: {
    // vue-i18n: composition API only, no devtools in production
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'true',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  plugins: [
    vue(),
    Components({
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: false,
    }),
    precompress(),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // the binary embeds every file: keep the set small and predictable
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      output: {
        // a chunk shared by pages is named after one of its modules; the
        // Element Plus ones would all be called "css" (its style entries)
        chunkFileNames: (chunk) => `assets/${chunk.name === 'css' ? 'ui' : '[name]'}-[hash].js`,
        assetFileNames: (asset) => {
          const name = (asset.names && asset.names[0]) || asset.name || ''
          return `assets/${/^css\./.test(name) ? 'ui' : '[name]'}-[hash][extname]`
        },
      },
    },
  },
  server: {
    // `npm run dev` next to `make run`: the API is the real server
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
    },
  },
})
