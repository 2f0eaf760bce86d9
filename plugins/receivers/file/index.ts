/** File receiver: tails `file_paths` globs every `file_poll_interval_ms` (see `tailer.ts`). */
import type { Plugin } from '@hapi/hapi';
import type { SeerflowConfig } from '../../../main/config/types.js';
import { CHECKPOINT_PREFIX, FileTailer } from './tailer.js';

type Options = SeerflowConfig['receivers'];

export const fileReceiverPlugin: Plugin<Options> = {
  name: 'receiver-file',
  version: '1.0.0',
  register(server, options) {
    const runtime = server.seerflow;
    let tailer: FileTailer | undefined;
    let timer: NodeJS.Timeout | undefined;
    let round: Promise<void> = Promise.resolve();
    let lastError: string | null = null;
    runtime.health.register('receiver.file', () =>
      lastError ? { status: 'degraded', detail: lastError } : { status: tailer ? 'ok' : 'starting', detail: `${tailer?.fileCount ?? 0} files` },
    );

    const poll = () => {
      round = (tailer as FileTailer)
        .poll()
        .then(() => {
          lastError = null;
        })
        .catch((error: Error) => {
          lastError = error.message;
          server.logger.warn({ err: error.message }, 'file receiver round failed; retrying');
        })
        .finally(() => {
          if (timer) timer = setTimeout(poll, options.file_poll_interval_ms);
        });
    };

    server.ext('onPreStart', async () => {
      const checkpoints = await runtime.state.loadCheckpoints(CHECKPOINT_PREFIX);
      tailer = new FileTailer(runtime.pipeline, checkpoints, {
        patterns: options.file_paths,
        allowedRoots: options.allowed_log_roots,
        maxLineBytes: options.max_message_bytes,
        clock: runtime.clock,
        onWarning: (message, detail) => server.logger.warn(detail ?? {}, message),
      });
      await tailer.poll();
      timer = setTimeout(poll, options.file_poll_interval_ms);
      server.logger.info({ files: tailer.fileCount, patterns: options.file_paths }, 'file receiver tailing');
    });
    server.ext('onPreStop', async () => {
      clearTimeout(timer);
      timer = undefined;
      await round;
      await tailer?.close();
    });
  },
};
