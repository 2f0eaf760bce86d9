/**
 * Tails the files matching `file_paths` globs, like `tail -F`:
 * - a file present at start begins at its end unless a checkpoint says where it stopped; a file
 *   that appears later is read from its start (all of it is new);
 * - rotation (the path now names another inode) drains the old file to its end first, then
 *   reads the new one from 0; truncation (size below our offset) restarts at 0;
 * - a partial last line waits for its newline;
 * - each batch of lines goes to the pipeline with its checkpoint `{ino, offset}`, which the writer
 *   commits in the same transaction as the lines, so a restart resumes with nothing lost or
 *   repeated. When the queue lacks room the tailer simply reads again later from the same offset.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import type { RawEvent } from '../../../main/core/event.js';
import type { Pipeline } from '../../../main/core/pipeline.js';
import { LineSplitter } from '../line-splitter.js';

const READ_BYTES = 64 * 1024;
/** Bytes read from one file per round, so one busy file cannot starve the others. */
const ROUND_BYTES = 4 * 1024 * 1024;
export const CHECKPOINT_PREFIX = 'file:';

export interface TailerOptions {
  patterns: string[];
  allowedRoots: string[];
  maxLineBytes: number;
  clock: () => bigint;
  onWarning: (message: string, detail?: object) => void;
}

interface Checkpoint {
  ino: number;
  offset: number;
}

interface TailedFile {
  path: string;
  handle: fs.FileHandle;
  ino: number;
  offset: number;
  splitter: LineSplitter;
}

export class FileTailer {
  readonly #options: TailerOptions;
  readonly #pipeline: Pipeline;
  readonly #files = new Map<string, TailedFile>();
  readonly #checkpoints: Map<string, string>;
  #firstScan = true;

  constructor(pipeline: Pipeline, checkpoints: Map<string, string>, options: TailerOptions) {
    for (const pattern of options.patterns) {
      if (pattern.split(/[\\/]/).includes('..')) throw new Error(`file receiver: pattern ${pattern} must not contain '..'`);
    }
    this.#pipeline = pipeline;
    this.#checkpoints = checkpoints;
    this.#options = options;
  }

  get fileCount(): number {
    return this.#files.size;
  }

  /** One round: find files, then read what each has gained. */
  async poll(): Promise<void> {
    for (const file of await this.#discover()) await this.#open(file);
    this.#firstScan = false;
    for (const file of [...this.#files.values()]) await this.#read(file);
  }

  async close(): Promise<void> {
    for (const file of this.#files.values()) await file.handle.close();
    this.#files.clear();
  }

  async #discover(): Promise<string[]> {
    const found = await fg(this.#options.patterns, { absolute: true, onlyFiles: true, followSymbolicLinks: false, dot: true });
    const fresh: string[] = [];
    for (const candidate of found) {
      if (this.#files.has(candidate)) continue;
      const stat = await fs.lstat(candidate).catch(() => undefined);
      if (!stat || stat.isSymbolicLink() || !stat.isFile()) continue;
      // The real path decides: a symlinked folder on the way must not lead out of the roots.
      const real = await fs.realpath(candidate).catch(() => undefined);
      if (!real || !(await this.#isAllowed(real))) {
        this.#options.onWarning('file outside allowed_log_roots skipped', { path: candidate });
        continue;
      }
      fresh.push(candidate);
    }
    return fresh;
  }

  async #isAllowed(file: string): Promise<boolean> {
    const roots = this.#options.allowedRoots;
    if (roots.length === 0) return true;
    for (const root of roots) {
      const realRoot = await fs.realpath(root).catch(() => path.resolve(root));
      // Compare against root + separator so that /var/log does not admit /var/logger.
      if (file.startsWith(realRoot + path.sep)) return true;
    }
    return false;
  }

  async #open(filePath: string, fromStart = !this.#firstScan): Promise<void> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(filePath, 'r');
    } catch (error) {
      this.#options.onWarning('cannot open file', { path: filePath, err: (error as Error).message });
      return;
    }
    const stat = await handle.stat();
    const saved = this.#checkpoints.get(CHECKPOINT_PREFIX + filePath);
    const checkpoint = saved ? (JSON.parse(saved) as Checkpoint) : undefined;
    let offset = fromStart ? 0 : stat.size;
    if (checkpoint) offset = checkpoint.ino === stat.ino && checkpoint.offset <= stat.size ? checkpoint.offset : 0;
    this.#files.set(filePath, { path: filePath, handle, ino: stat.ino, offset, splitter: new LineSplitter(this.#options.maxLineBytes) });
  }

  async #read(file: TailedFile): Promise<void> {
    const current = await fs.stat(file.path).catch(() => undefined);
    const size = (await file.handle.stat()).size;
    if (size < file.offset + file.splitter.pendingBytes) {
      // Truncated in place: start over.
      file.offset = 0;
      file.splitter = new LineSplitter(this.#options.maxLineBytes);
    }
    const complete = await this.#drain(file, size);
    if (!complete) return;
    if (!current || current.ino !== file.ino) {
      // Rotated or deleted: the old file is fully read; follow the path to its new file, if any.
      await file.handle.close();
      this.#files.delete(file.path);
      if (current) await this.#open(file.path, true);
    }
  }

  /** Read up to `size` (or the round's budget); false when it stopped early. */
  async #drain(file: TailedFile, size: number): Promise<boolean> {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    let readThisRound = 0;
    let position = file.offset + file.splitter.pendingBytes;
    while (position < size) {
      if (readThisRound >= ROUND_BYTES) return false;
      const { bytesRead } = await file.handle.read(buffer, 0, Math.min(READ_BYTES, size - position), position);
      if (bytesRead === 0) break;
      const { lines, consumed } = file.splitter.push(buffer.subarray(0, bytesRead));
      if (lines.length > 0 && !this.#pipeline.hasRoom(lines.length)) {
        // No room: forget this read; the next round reads the same bytes again.
        file.splitter = new LineSplitter(this.#options.maxLineBytes);
        return false;
      }
      position += bytesRead;
      readThisRound += bytesRead;
      if (consumed === 0) continue; // only a partial line so far
      const checkpoint: Checkpoint = { ino: file.ino, offset: file.offset + consumed };
      const receivedNs = this.#options.clock();
      const raws: RawEvent[] = lines.map((line) => ({
        sourceType: 'file',
        sourceId: file.path,
        receivedNs,
        line: line.text,
        truncated: line.truncated,
      }));
      void this.#pipeline.submit(raws, { key: CHECKPOINT_PREFIX + file.path, value: JSON.stringify(checkpoint) });
      file.offset = checkpoint.offset;
    }
    return true;
  }
}
