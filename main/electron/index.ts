/** Entry of the desktop app (`npm run desktop`, electron-vite's `electron` input). */
import { app } from 'electron';
import { startDesktop } from './desktop.js';

startDesktop().catch((error: Error) => {
  process.stderr.write(`seerflow: ${error.stack ?? error.message}\n`);
  app.exit(1);
});
