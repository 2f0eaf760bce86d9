import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          // The desktop shell and the headless CLI share one bundle of the server.
          electron: resolve('main/electron/index.ts'),
          cli: resolve('main/cli/index.ts'),
        },
      },
    },
  },
  renderer: {
    root: 'renderer',
    // Absolute asset URLs: the app is served over HTTP (also in the desktop window), and deep
    // links such as /alerts/<id> must still load /assets/…. electron-vite forces './' for
    // file:// windows, so a later config hook sets it back.
    plugins: [vue(), { name: 'seerflow:absolute-base', config: () => ({ base: '/' }) }],
    build: {
      outDir: 'out/renderer',
      // Served over HTTP to browsers as well as to the desktop window: ship it minified.
      minify: true,
      rollupOptions: { input: resolve('renderer/index.html') },
    },
  },
});
