/**
 * stdin receiver (`receivers.stdin_enabled`): lines piped into `seerflow start` are ingested like
 * any other source. At end of input the receiver stops; the appliance keeps running.
 */
import type { Readable } from 'node:stream';
import type { Plugin } from '@hapi/hapi';
import { feedLines } from '../line-feed.js';

export interface StdinOptions {
  stream: Readable;
  maxLineBytes: number;
}

export const stdinReceiverPlugin: Plugin<StdinOptions> = {
  name: 'receiver-stdin',
  version: '1.0.0',
  register(server, { stream, maxLineBytes }) {
    const runtime = server.seerflow;
    let state: 'starting' | 'reading' | 'ended' = 'starting';
    runtime.health.register('receiver.stdin', () => ({ status: state === 'starting' ? 'starting' : 'ok', detail: state }));
    server.ext('onPostStart', () => {
      state = 'reading';
      feedLines(stream, runtime.pipeline, { sourceType: 'stdin', sourceId: 'stdin', clock: runtime.clock, maxLineBytes })
        .then((lines) => server.logger.info({ lines }, 'stdin ended'))
        .catch((error: Error) => server.logger.warn({ err: error.message }, 'stdin read failed'))
        .finally(() => (state = 'ended'));
    });
    // Stop reading at shutdown; what was read is drained with everything else.
    server.ext('onPreStop', () => {
      stream.destroy();
    });
  },
};
