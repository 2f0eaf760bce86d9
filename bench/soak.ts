/**
 * `npm run bench:soak -- [--duration S] [--rate EVENTS_PER_S] [--interval S]`: drives a real
 * appliance (a `seerflow start` child process with every default detector) over its real
 * receivers (syslog UDP, syslog TCP and OTLP/HTTP, a third of the rate each) at a steady rate, and
 * reports every interval and at the end: throughput stored, drops, p99 ingest-to-stored latency
 * (an OTLP/HTTP request is answered only once its events are committed, so its round trip is that
 * latency) and the appliance's RSS over time, with the RSS slope over the second half of the run.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { collect, loopbackConfig, spawnCli, watchLogs } from '../test/support/cli.js';
import { syslogLines } from './lines.js';

export interface SoakOptions {
  durationS: number;
  rate: number;
  intervalS: number;
  /** Called with each interval's sample (the CLI prints them). */
  onSample?: (sample: SoakSample) => void;
}

export interface SoakSample {
  elapsedS: number;
  sent: number;
  stored: number;
  dropped: number;
  rssMb: number;
  p99Ms: number;
}

export interface SoakReport {
  durationS: number;
  targetRate: number;
  sent: number;
  stored: number;
  /** Refused and counted by the appliance: receiver drops (full queue, kernel UDP drops) and OTLP 429s. */
  dropped: number;
  /** Sent but neither stored nor counted (0 when nothing is lost silently). */
  unaccounted: number;
  /** Not sent: TCP lines held back while the appliance pushed back (not part of `sent`). */
  heldBack: number;
  /**
   * OTLP records whose request got 503 after the commit timeout (30 s): accepted, stored later.
   * More than 0 means the appliance fell that far behind.
   */
  ackTimedOut: number;
  storedPerSecond: number;
  p99Ms: number;
  rssStartMb: number;
  rssEndMb: number;
  rssMaxMb: number;
  /** Least-squares RSS slope over the second half of the run, MB per 10 minutes. */
  rssSlopeMbPer10Min: number;
  samples: SoakSample[];
}

const POOL = 50_000;
const OTLP_BATCH = 100;
const SLOT_MS = 10;
/** Bytes the TCP sender lets wait in its socket before holding lines back. */
const TCP_CLIENT_BUFFER = 1024 * 1024;

const CONFIG = loopbackConfig('api_rate_limit_enabled: false\n');

interface Stats {
  events_stored: number;
  receivers: Record<string, { received: number; dropped: number }>;
  syslog: { udp_kernel_dropped: number | null } | null;
}

/**
 * Receiver drops (full queue) and the datagrams the kernel dropped before the UDP receiver read
 * them. OTLP refusals are counted by the receiver too; the client's count of refused records is
 * used instead.
 */
function droppedBy(stats: Stats, otlpRefused: number): number {
  const receivers = Object.entries(stats.receivers).reduce((sum, [name, r]) => sum + (name === 'otlp_http' ? 0 : r.dropped), 0);
  return receivers + (stats.syslog?.udp_kernel_dropped ?? 0) + otlpRefused;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seerflow-soak-'));
  fs.writeFileSync(path.join(dir, 'seerflow.yaml'), CONFIG);
  const child = spawnCli(['start', '--config', 'seerflow.yaml'], { SEERFLOW_DATA_DIR: dir }, dir);
  const logs = watchLogs(child);
  const exited = collect(child);
  const syslog = await logs.waitFor('syslog receiver listening');
  const otlp = await logs.waitFor('OTLP receiver listening');
  const api = (await logs.waitFor('seerflow started')).url as string;
  const stats = async () => (await (await fetch(`${api}/api/v1/stats`)).json()) as Stats;

  const lines = syslogLines(POOL);
  const udp = dgram.createSocket('udp4');
  const tcp = net.connect(syslog.tcp as number, '127.0.0.1');
  await new Promise((resolve) => tcp.once('connect', resolve));
  const counts = { udp: 0, tcp: 0, tcpHeldBack: 0, otlp: 0, otlpRefused: 0, otlpTimedOut: 0, inFlight: 0 };
  let latencies: number[] = [];
  let next = 0;
  const line = () => lines[next++ % POOL]!;

  const sendOtlp = (n: number) => {
    // Records carry their time, as an exporter's do: the line pool repeats every 50k lines, and
    // byte-identical requests would be taken for resends (answered without being stored again).
    const timeUnixNano = String(BigInt(Date.now()) * 1_000_000n);
    const logRecords = Array.from({ length: n }, () => ({ timeUnixNano, body: { stringValue: line() } }));
    const started = performance.now();
    counts.inFlight++;
    void fetch(`http://127.0.0.1:${otlp.http as number}/v1/logs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords }] }] }),
    })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.status === 200) latencies.push(performance.now() - started);
        else if (response.status === 503) counts.otlpTimedOut += n;
        else counts.otlpRefused += n;
      }, () => (counts.otlpRefused += n))
      .finally(() => counts.inFlight--);
    counts.otlp += n;
  };

  const start = performance.now();
  let due = 0;
  let otlpPending = 0;
  const samples: SoakSample[] = [];
  const third = options.rate / 3;
  await new Promise<void>((resolve) => {
    const sender = setInterval(() => {
      const elapsed = (performance.now() - start) / 1000;
      if (elapsed >= options.durationS) {
        clearInterval(sender);
        resolve();
        return;
      }
      const target = Math.floor(elapsed * third);
      for (; due < target; due++) {
        udp.send(line(), syslog.udp as number, '127.0.0.1');
        counts.udp++;
        // TCP pushes back: past a full client buffer the line is held back (not sent), as a
        // syslog client's full queue would; otherwise the backlog would pile up in this process.
        if (tcp.writableLength < TCP_CLIENT_BUFFER) {
          tcp.write(`${line()}\n`);
          counts.tcp++;
        } else {
          next++;
          counts.tcpHeldBack++;
        }
        if (++otlpPending === OTLP_BATCH) {
          sendOtlp(otlpPending);
          otlpPending = 0;
        }
      }
    }, SLOT_MS);
    const sampler = setInterval(async () => {
      const s = await stats();
      const dropped = droppedBy(s, counts.otlpRefused);
      const sample = {
        elapsedS: Math.round((performance.now() - start) / 100) / 10,
        sent: counts.udp + counts.tcp + counts.otlp,
        stored: s.events_stored,
        dropped,
        rssMb: rssMb(child.pid!),
        p99Ms: Math.round(percentile(latencies, 99)),
      };
      latencies = [];
      samples.push(sample);
      options.onSample?.(sample);
      if ((performance.now() - start) / 1000 >= options.durationS) clearInterval(sampler);
    }, options.intervalS * 1000);
  });
  if (otlpPending > 0) sendOtlp(otlpPending);
  await new Promise<void>((resolve) => tcp.end(resolve));
  while (counts.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  // Let the queue drain: stored stops moving.
  let last = -1;
  let final = await stats();
  while (final.events_stored !== last) {
    last = final.events_stored;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    final = await stats();
  }
  const rssEndMb = rssMb(child.pid!);
  child.kill('SIGTERM');
  await exited;
  udp.close();
  fs.rmSync(dir, { recursive: true, force: true });

  const sent = counts.udp + counts.tcp + counts.otlp;
  const dropped = droppedBy(final, counts.otlpRefused);
  const secondHalf = samples.filter((s) => s.elapsedS >= options.durationS / 2).map((s): [number, number] => [s.elapsedS, s.rssMb]);
  const allLatencies = samples.map((s) => s.p99Ms);
  return {
    durationS: options.durationS,
    targetRate: options.rate,
    sent,
    stored: final.events_stored,
    dropped,
    unaccounted: sent - final.events_stored - dropped,
    heldBack: counts.tcpHeldBack,
    ackTimedOut: counts.otlpTimedOut,
    storedPerSecond: Math.round(final.events_stored / options.durationS),
    p99Ms: Math.max(0, ...allLatencies),
    rssStartMb: samples[0]?.rssMb ?? 0,
    rssEndMb,
    rssMaxMb: Math.max(rssEndMb, ...samples.map((s) => s.rssMb)),
    rssSlopeMbPer10Min: Math.round(slope(secondHalf) * 600 * 10) / 10,
    samples,
  };
}

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = { durationS: argument('duration', 60), rate: argument('rate', 20_000), intervalS: argument('interval', 10) };
  console.log(`soak: ${options.rate} events/s for ${options.durationS} s (syslog UDP, syslog TCP, OTLP/HTTP)`);
  console.log('elapsed_s  sent  stored  dropped  rss_mb  p99_ms');
  const report = await runSoak({ ...options, onSample: (s) => console.log(`${s.elapsedS}  ${s.sent}  ${s.stored}  ${s.dropped}  ${s.rssMb}  ${s.p99Ms}`) });
  console.log(JSON.stringify({ ...report, samples: report.samples.length }, null, 2));
}
