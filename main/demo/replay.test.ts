import { describe, expect, it, vi } from 'vitest';
import type { DemoLine } from './demo-files.js';
import { DemoReplay, SLICE_MS, type DemoSenders } from './replay.js';
import type { AccessRecord } from './senders.js';

const T0 = Date.UTC(2026, 10, 30, 9, 30, 0);
const iso = (ms: number) => new Date(ms).toISOString();

function syslogLine(ms: number, text: string): DemoLine {
  return { timeMs: ms, channel: 'syslog', host: '', text: `<38>1 ${iso(ms)} bastion sshd 1 - - ${text}` };
}

function accessLine(ms: number, host: string): DemoLine {
  return { timeMs: ms, channel: 'access', host, text: `203.0.113.77 - - [30/Nov/2026:09:30:00 +0000] "GET / HTTP/1.1" 200 1 "-" "x"` };
}

/** Senders that record what reaches them, in order. */
function recordingSenders(log: string[], closed: { count: number }): DemoSenders {
  return {
    syslog: {
      send: async (lines) => void log.push(...lines.map((line) => `syslog ${line}`)),
      close: async () => void closed.count++,
    },
    access: { send: async (records: readonly AccessRecord[]) => void log.push(...records.map((r) => `access ${r.host} ${iso(r.timeMs)}`)) },
  };
}

describe('DemoReplay', () => {
  it('moves the story so it ends at endsAtMs and sends it slice by slice, syslog first within a slice', async () => {
    const lines = [syslogLine(T0, 'a'), accessLine(T0 + 1_000, 'web01'), syslogLine(T0 + 2_000, 'b'), syslogLine(T0 + SLICE_MS + 5_000, 'c')];
    const log: string[] = [];
    const closed = { count: 0 };
    const replay = new DemoReplay();
    const endsAtMs = Date.UTC(2027, 0, 1, 12, 0, 0);
    const seen: number[] = [];
    expect(replay.start({ lines, openSenders: async () => recordingSenders(log, closed), durationMs: 0, endsAtMs, onProgress: (p) => seen.push(p.sent) })).toBe(true);
    await replay.finished();
    const shift = endsAtMs - (T0 + SLICE_MS + 5_000);
    expect(log).toEqual([
      `syslog <38>1 ${iso(T0 + shift)} bastion sshd 1 - - a`,
      `syslog <38>1 ${iso(T0 + 2_000 + shift)} bastion sshd 1 - - b`,
      `access web01 ${iso(T0 + 1_000 + shift)}`,
      `syslog <38>1 ${iso(endsAtMs)} bastion sshd 1 - - c`,
    ]);
    expect(seen).toEqual([3, 4]);
    expect(replay.progress).toEqual({ status: 'done', sent: 4, total: 4 });
    expect(closed.count).toBe(1);
  });

  it('runs one replay at a time', async () => {
    const replay = new DemoReplay();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const senders: DemoSenders = {
      syslog: { send: () => gate, close: async () => {} },
      access: { send: async () => {} },
    };
    const options = { lines: [syslogLine(T0, 'a')], openSenders: async () => senders, durationMs: 0, endsAtMs: T0 };
    expect(replay.start(options)).toBe(true);
    expect(replay.start(options)).toBe(false);
    expect(replay.progress).toEqual({ status: 'running', sent: 0, total: 1 });
    release();
    await replay.finished();
    expect(replay.progress.status).toBe('done');
    expect(replay.start(options)).toBe(true);
    await replay.finished();
  });

  it('reports a receiver failure and still closes the connection', async () => {
    const replay = new DemoReplay();
    const closed = { count: 0 };
    const senders: DemoSenders = {
      syslog: { send: async () => {}, close: async () => void closed.count++ },
      access: { send: async () => Promise.reject(new Error('the OTLP/HTTP receiver answered 503')) },
    };
    replay.start({ lines: [accessLine(T0, 'web02')], openSenders: async () => senders, durationMs: 0, endsAtMs: T0 });
    await replay.finished();
    expect(replay.progress).toEqual({ status: 'failed', sent: 0, total: 1, error: 'the OTLP/HTTP receiver answered 503' });
    expect(closed.count).toBe(1);
  });

  it('stops when asked, without waiting out the pause between slices, as failed', async () => {
    const replay = new DemoReplay();
    const lines = Array.from({ length: 20 }, (_, i) => syslogLine(T0 + i * SLICE_MS, `line ${i}`));
    const sent: string[] = [];
    replay.start({ lines, openSenders: async () => recordingSenders(sent, { count: 0 }), durationMs: 600_000, endsAtMs: T0 });
    await vi.waitFor(() => expect(sent).toHaveLength(1)); // the first slice, then a half-minute pause
    const asked = Date.now();
    await replay.stop();
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(replay.progress.status).toBe('failed');
    expect(replay.progress.sent).toBeLessThan(20);
    expect(replay.progress.error).toMatch(/shutting down/);
  });
});
