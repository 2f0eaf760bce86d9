/** The console sink: one line per alert on stdout or stderr (or any stream, for tests). */
import type { Writable } from 'node:stream';
import type { Alert } from '../../../main/core/alert.js';
import { DeliveryError, type Sink } from './sink.js';

export interface ConsoleSinkOptions {
  name: string;
  minSeverity: number;
  formatter: string;
  format: (alert: Alert) => string;
  stream: Writable;
}

export class ConsoleSink implements Sink {
  readonly type = 'console';
  readonly name: string;
  readonly formatter: string;
  readonly minSeverity: number;
  readonly #options: ConsoleSinkOptions;

  constructor(options: ConsoleSinkOptions) {
    this.name = options.name;
    this.formatter = options.formatter;
    this.minSeverity = options.minSeverity;
    this.#options = options;
  }

  render(alert: Alert): string {
    return this.#options.format(alert);
  }

  send(payload: string): Promise<void> {
    // The callback fires once the line is handed over, which also waits out backpressure.
    return new Promise((resolve, reject) => {
      this.#options.stream.write(`${payload}\n`, (error) => (error ? reject(new DeliveryError(error.message, false)) : resolve()));
    });
  }

  async close(): Promise<void> {
    // The stream belongs to the process (or the caller), not to the sink.
  }
}
