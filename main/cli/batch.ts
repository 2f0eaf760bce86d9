/**
 * `seerflow import PATH...` and `seerflow analyze PATH...|-`: files (plain or .gz; `.json` files
 * of JSON objects back to back, such as evtx_dump exports, object by object) or stdin run
 * through the same pipeline as live input. `import` persists to the configured store with a
 * progress bar; `analyze` uses an in-memory store unless `--persist`, and prints on stdout only
 * the alerts raised, one JSON object per line.
 */
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { SingleBar, Presets } from 'cli-progress';
import type { SeerflowConfig } from '../config/types.js';
import { alertToJson } from '../core/alert.js';
import { systemClockNs } from '../core/clock.js';
import type { SourceType } from '../core/event.js';
import { createServer, stopServer } from '../server.js';
import { deliverTexts, feedLines } from '../../plugins/receivers/line-feed.js';
import { splitJsonObjects } from '../core/parsing/windows-event.js';
import { createLogger } from './logger.js';
import { formatSummary } from './summary.js';

const SNIFF_BYTES = 8192;

export class InputError extends Error {
  override name = 'InputError';
}

/** Open one input: `-` is stdin; `.gz` is decompressed; a binary file (NUL early on) is refused. */
function openInput(input: string): { stream: Readable; size: number } {
  if (input === '-') return { stream: process.stdin, size: 0 };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(input);
  } catch {
    throw new InputError(`${input}: no such file`);
  }
  if (!stat.isFile()) throw new InputError(`${input}: not a regular file`);
  const gz = input.endsWith('.gz');
  if (!gz) {
    const fd = fs.openSync(input, 'r');
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, stat.size));
    fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    if (head.includes(0)) throw new InputError(`${input}: looks binary (NUL bytes); not a log file`);
  }
  const file = fs.createReadStream(input);
  return { stream: gz ? file.pipe(zlib.createGunzip()) : file, size: gz ? 0 : stat.size };
}

export interface BatchOptions {
  inputs: string[];
  sourceType: Extract<SourceType, 'import' | 'analyze'>;
  /** false = in-memory store (analyze without --persist). */
  persist: boolean;
  progress: boolean;
}

export async function runBatch(config: SeerflowConfig, options: BatchOptions): Promise<void> {
  for (const input of options.inputs) if (input !== '-') openInput(input).stream.destroy();
  const logger = createLogger(config.log_level);
  // The same appliance as `start`, detectors included, initialised but not listening: no
  // receivers, and no port is bound.
  const effective: SeerflowConfig = {
    ...config,
    storage: options.persist ? config.storage : { ...config.storage, backend: 'sqlite', sqlite_path: ':memory:' },
    receivers: {
      ...config.receivers,
      syslog_enabled: false,
      otlp_http_enabled: false,
      otlp_grpc_enabled: false,
      file_paths: [],
      webhook_enabled: false,
      stdin_enabled: false,
    },
  };
  const server = await createServer({ config: effective, logger, clock: systemClockNs });
  await server.initialize();
  const runtime = server.seerflow;
  // analyze: stdout carries the alerts and nothing else, one JSON object per line.
  if (options.sourceType === 'analyze') {
    runtime.alerts.subscribe((alert) => process.stdout.write(`${JSON.stringify(alertToJson(alert))}\n`));
  }
  const bar = options.progress && process.stderr.isTTY ? new SingleBar({ stream: process.stderr }, Presets.shades_classic) : undefined;
  try {
    for (const input of options.inputs) {
      if (input.endsWith('.json')) {
        // Exported event logs (evtx_dump, Sysmon): objects back to back, often pretty-printed.
        const objects = splitJsonObjects(fs.readFileSync(input, 'utf8')).map((text) => ({ text, truncated: false }));
        await deliverTexts(objects, runtime.pipeline, { sourceType: options.sourceType, sourceId: input, clock: systemClockNs });
        logger.info({ input, objects: objects.length }, 'input read');
        continue;
      }
      const { stream, size } = openInput(input);
      bar?.start(size || 1, 0);
      stream.on('error', (error) => logger.error({ input, err: error.message }, 'read failed'));
      const lines = await feedLines(stream, runtime.pipeline, {
        sourceType: options.sourceType,
        sourceId: input === '-' ? 'stdin' : input,
        clock: systemClockNs,
        maxLineBytes: config.receivers.max_message_bytes,
        onProgress: (bytes) => bar?.update(Math.min(bytes, size || bytes)),
      });
      bar?.stop();
      logger.info({ input, lines }, 'input read');
    }
  } finally {
    bar?.stop();
    const summary = await stopServer(server);
    process.stderr.write(`${formatSummary(summary)}\n`);
  }
}
