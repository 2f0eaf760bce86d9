/**
 * The demo replay: sends the demo lines through the appliance's own receivers with their
 * timestamps moved so the story ends at the moment the replay starts, paced to last about
 * `durationMs`. One replay at a time; progress is readable while it runs.
 *
 * Lines go out in slices of `SLICE_MS` of story time, syslog first and then the slice's access
 * records, each slice handed over before the next one starts. Across the two receivers events
 * therefore arrive at most one slice out of order, well inside the Sigma correlation engine's
 * late tolerance (30 s by default), so the story's correlations fire as they would live.
 */
import type { DemoLine } from './demo-files.js';
import type { AccessRecord, AccessSender, LineSender } from './senders.js';
import { shiftLine } from './timestamps.js';

export type DemoStatus = 'idle' | 'running' | 'done' | 'failed';

export interface DemoProgress {
  status: DemoStatus;
  sent: number;
  total: number;
  error?: string;
}

export interface DemoSenders {
  syslog: LineSender;
  access: AccessSender;
}

export interface DemoRunOptions {
  lines: readonly DemoLine[];
  /** Opens the connections to the receivers; they are closed when the replay ends. */
  openSenders(): Promise<DemoSenders>;
  /** Wall-clock time the replay should take; 0 sends as fast as the receivers take it. */
  durationMs: number;
  /** Where the story's last line lands, epoch ms (the replay's start, normally). */
  endsAtMs: number;
  /** Called after each slice is handed over. */
  onProgress?(progress: Readonly<DemoProgress>): void;
}

/** Story time per slice. */
export const SLICE_MS = 10_000;
/** How long a replay takes unless asked otherwise, and the longest it may be asked to take. */
export const DEMO_DEFAULT_DURATION_S = 45;
export const DEMO_MAX_DURATION_S = 600;

export class DemoReplay {
  #progress: DemoProgress = { status: 'idle', sent: 0, total: 0 };
  #run: Promise<void> | undefined;
  #stopping = false;
  /** Ends the pause between slices early (on stop). */
  #wake: (() => void) | undefined;

  get progress(): DemoProgress {
    return { ...this.#progress };
  }

  get running(): boolean {
    return this.#progress.status === 'running';
  }

  /** Starts a replay; false (and nothing changes) when one is already running. */
  start(options: DemoRunOptions): boolean {
    if (this.running) return false;
    this.#stopping = false;
    this.#progress = { status: 'running', sent: 0, total: options.lines.length };
    this.#run = this.#replay(options).then(
      () => {
        const cut = this.#progress.sent < this.#progress.total;
        this.#progress.status = cut ? 'failed' : 'done';
        if (cut) this.#progress.error = 'stopped before the end (the appliance is shutting down)';
      },
      (error: Error) => {
        this.#progress.status = 'failed';
        this.#progress.error = error.message;
      },
    );
    return true;
  }

  /** Resolves when the current replay (if any) has ended. */
  finished(): Promise<void> {
    return this.#run ?? Promise.resolve();
  }

  /** Stops sending after the slice in flight; resolves once the connections are closed. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.finished();
  }

  async #replay({ lines, openSenders, durationMs, endsAtMs, onProgress }: DemoRunOptions): Promise<void> {
    if (lines.length === 0) return;
    const first = lines[0]!.timeMs;
    const last = lines[lines.length - 1]!.timeMs;
    const span = Math.max(1, last - first);
    const shiftMs = endsAtMs - last;
    const startedAt = Date.now();
    const senders = await openSenders();
    try {
      let index = 0;
      while (index < lines.length && !this.#stopping) {
        const sliceEnd = lines[index]!.timeMs + SLICE_MS;
        const syslog: string[] = [];
        const access: AccessRecord[] = [];
        for (; index < lines.length && lines[index]!.timeMs < sliceEnd; index++) {
          const line = lines[index]!;
          const text = shiftLine(line.text, shiftMs);
          if (line.channel === 'syslog') syslog.push(text);
          else access.push({ host: line.host, timeMs: line.timeMs + shiftMs, line: text });
        }
        if (syslog.length > 0) await senders.syslog.send(syslog);
        this.#progress.sent += syslog.length;
        if (access.length > 0) await senders.access.send(access);
        this.#progress.sent += access.length;
        onProgress?.(this.#progress);
        // Pace: the slice's story time, scaled to the wanted duration.
        const due = startedAt + (durationMs * Math.min(span, sliceEnd - first)) / span;
        if (due > Date.now() && !this.#stopping) await this.#pause(due - Date.now());
      }
    } finally {
      await senders.syslog.close();
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
