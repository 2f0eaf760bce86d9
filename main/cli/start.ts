/**
 * `seerflow start`: the headless appliance. Runs until SIGINT/SIGTERM, then drains every queue,
 * commits, prints the session summary and exits 0.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load.js';
import { systemClockNs } from '../core/clock.js';
import { createServer, stopServer } from '../server.js';
import { createLogger } from './logger.js';
import { formatSummary } from './summary.js';

/**
 * The built dashboard (`out/renderer`), found from wherever this module runs: a bundle chunk in
 * out/main/chunks, a bundle entry in out/main, or the sources in main/cli (tsx).
 */
export function findRendererDir(): string | undefined {
  const candidates = ['../../renderer/', '../renderer/', '../../out/renderer/'].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url)),
  );
  // Only a built renderer: the source folder `renderer/` has an index.html too.
  return candidates.find((dir) => dir.endsWith(`out${path.sep}renderer${path.sep}`) && fs.existsSync(`${dir}index.html`));
}

export async function startCommand(configPath: string | undefined): Promise<void> {
  // Listen for a stop request first: one that arrives while starting is honoured once started.
  const stopRequested = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const { config, source } = loadConfig(configPath);
  const logger = createLogger(config.log_level);
  const rendererDir = findRendererDir();
  const server = await createServer({ config, logger, clock: systemClockNs, rendererDir });
  try {
    await server.start();
  } catch (error) {
    await server.seerflow.close();
    throw error;
  }
  logger.info(
    { url: server.info.uri, config: source, data: config.storage.sqlite_path, dashboard: Boolean(rendererDir) },
    'seerflow started',
  );
  logger.info({ signal: await stopRequested }, 'stopping: draining queues');
  const summary = await stopServer(server);
  process.stdout.write(`${formatSummary(summary)}\n`);
}
