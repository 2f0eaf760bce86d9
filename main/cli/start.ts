/**
 * `seerflow start`: the headless appliance. Runs until SIGINT/SIGTERM, then drains every queue,
 * commits, prints the session summary and exits 0. `--demo` replays the bundled demo logs
 * through the receivers once they listen.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load.js';
import { systemClockNs } from '../core/clock.js';
import { keepHeapNearLiveSet } from '../core/heap.js';
import { DEMO_MAX_DURATION_S } from '../demo/replay.js';
import { createServer, stopServer } from '../server.js';
import { InputError } from './batch.js';
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

/** `--demo` → the replay's duration in seconds (undefined = the default), or no demo at all. */
export function demoOption(value: string | boolean | undefined): { demo: boolean; durationS?: number } {
  if (value === undefined || value === false) return { demo: false };
  if (value === true) return { demo: true };
  const durationS = Number(value);
  if (value.trim() === '' || !Number.isFinite(durationS) || durationS < 0 || durationS > DEMO_MAX_DURATION_S) {
    throw new InputError(`--demo takes a duration in seconds from 0 to ${DEMO_MAX_DURATION_S}, not "${value}"`);
  }
  return { demo: true, durationS };
}

export async function startCommand(
  configPath: string | undefined,
  options: ReturnType<typeof demoOption> = { demo: false },
): Promise<void> {
  // Listen for a stop request first: one that arrives while starting is honoured once started.
  const stopRequested = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const { config, source } = loadConfig(configPath);
  const logger = createLogger(config.log_level);
  keepHeapNearLiveSet();
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
  if (options.demo) {
    try {
      server.plugins['api-demo'].start(options.durationS);
    } catch (error) {
      await stopServer(server);
      throw new InputError(`--demo: ${(error as Error).message}`);
    }
  }
  logger.info({ signal: await stopRequested }, 'stopping: draining queues');
  const summary = await stopServer(server);
  process.stdout.write(`${formatSummary(summary)}\n`);
}
