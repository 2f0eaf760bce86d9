/**
 * The file sink: one alert per line (NDJSON with the `json` formatter), rotated by size like
 * logrotate: before a write would pass `max_bytes`, `<path>.<n-1>` → `<path>.<n>` … `<path>` →
 * `<path>.1`, keeping `backup_count` files (0: the file starts over). A line longer than the
 * limit still goes, alone in a fresh file.
 */
import fs from 'node:fs/promises';
import type { Alert } from '../../../main/core/alert.js';
import { DeliveryError, type Sink } from './sink.js';

export interface FileSinkOptions {
  name: string;
  minSeverity: number;
  formatter: string;
  format: (alert: Alert) => string;
  path: string;
  maxBytes: number;
  backupCount: number;
}

export class FileSink implements Sink {
  readonly type = 'file';
  readonly name: string;
  readonly formatter: string;
  readonly minSeverity: number;
  readonly #options: FileSinkOptions;
  #file: fs.FileHandle | null;
  #size: number;

  private constructor(options: FileSinkOptions, file: fs.FileHandle, size: number) {
    this.name = options.name;
    this.formatter = options.formatter;
    this.minSeverity = options.minSeverity;
    this.#options = options;
    this.#file = file;
    this.#size = size;
  }

  /** Opens (creates) the file for appending now, so a path that cannot be written fails at startup. */
  static async open(options: FileSinkOptions): Promise<FileSink> {
    const file = await fs.open(options.path, 'a');
    const { size } = await file.stat();
    return new FileSink(options, file, size);
  }

  render(alert: Alert): string {
    return this.#options.format(alert);
  }

  async send(payload: string): Promise<void> {
    const line = Buffer.from(`${payload}\n`, 'utf8');
    try {
      if (this.#size > 0 && this.#size + line.length > this.#options.maxBytes) await this.#rotate();
      this.#file ??= await fs.open(this.#options.path, 'a');
      await this.#file.write(line);
      this.#size += line.length;
    } catch (error) {
      throw new DeliveryError(`cannot write ${this.#options.path}: ${(error as Error).message}`, true);
    }
  }

  async close(): Promise<void> {
    await this.#file?.close();
    this.#file = null;
  }

  async #rotate(): Promise<void> {
    const { path, backupCount } = this.#options;
    await this.close();
    if (backupCount === 0) {
      await fs.rm(path, { force: true });
    } else {
      for (let i = backupCount - 1; i >= 1; i--) await renameIfPresent(`${path}.${i}`, `${path}.${i + 1}`);
      await renameIfPresent(path, `${path}.1`);
    }
    this.#size = 0;
  }
}

async function renameIfPresent(from: string, to: string): Promise<void> {
  try {
    await fs.rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
