/**
 * Scenario replays: synthetic attack lines mixed into benign real lines from the shared Loghub
 * samples, pushed through a real appliance's pipeline (every detector on, a real SQLite file),
 * then the stored alerts read back. The Loghub data is absent on a fresh clone: callers check
 * `hasLoghub()` and skip with `LOGHUB_MISSING`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Alert } from '../../main/core/alert.js';
import type { RawEvent } from '../../main/core/event.js';
import { hasLoghubData, LOGHUB_DIR } from '../../bench/loghub.js';
import type { TestAppliance } from './appliance.js';

export const LOGHUB_MISSING = `Loghub samples not found at ${LOGHUB_DIR}: skipping the scenario replays.`;

/**
 * The scenarios' clock: 2025-12-31T00:00:00Z. BSD syslog timestamps carry no year; with this
 * clock the Loghub lines (Dec 10, Jun 14…) and the synthetic ones all land in 2025.
 */
export const SCENARIO_NOW_NS = 1_767_139_200_000_000_000n;
export const scenarioClock = () => SCENARIO_NOW_NS;

export function hasLoghub(): boolean {
  return hasLoghubData();
}

/** The raw lines of a Loghub 2k sample (`OpenSSH`, `Linux`…), in file order. */
export function loghubLines(dataset: string): string[] {
  const file = path.join(LOGHUB_DIR, dataset, `${dataset}_2k.log`);
  return fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A BSD syslog line (`Dec 10 07:01:02 host app[pid]: message`) at `iso` (UTC, year ignored). */
export function bsdLine(iso: string, host: string, app: string, message: string, pid = 4242): string {
  const t = new Date(iso);
  const day = String(t.getUTCDate()).padStart(2, ' ');
  const time = t.toISOString().slice(11, 19);
  return `${MONTHS[t.getUTCMonth()]} ${day} ${time} ${host} ${app}[${pid}]: ${message}`;
}

/** The event time of a BSD line, to order a mix (same reading as the syslog parser: year of the clock). */
export function bsdTimeMs(line: string): number {
  const match = /^(\w{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})/.exec(line);
  if (!match) return NaN;
  const [, mon, day, h, m, s] = match;
  return Date.UTC(2025, MONTHS.indexOf(mon!), Number(day), Number(h), Number(m), Number(s));
}

/** Benign and attack lines merged in event-time order (stable: benign first on equal times). */
export function mixByTime(benign: readonly string[], attack: readonly string[]): string[] {
  return [...benign.map((line, i) => ({ line, t: bsdTimeMs(line), k: i })), ...attack.map((line, i) => ({ line, t: bsdTimeMs(line), k: benign.length + i }))]
    .sort((a, b) => a.t - b.t || a.k - b.k)
    .map((x) => x.line);
}

/** Pushes lines through the appliance's pipeline as syslog input, in order; resolves once all are stored. */
export async function replay(appliance: TestAppliance, lines: readonly string[], chunk = 500): Promise<void> {
  const { pipeline, clock } = appliance.server.seerflow;
  for (let i = 0; i < lines.length; i += chunk) {
    const raws: RawEvent[] = lines.slice(i, i + chunk).map((line) => ({ sourceType: 'syslog', sourceId: 'scenario', receivedNs: clock(), line }));
    const durable = pipeline.submit(raws);
    if (!durable) throw new Error('ingest queue full during a replay: raise receivers.queue_maxsize');
    await durable;
  }
  await pipeline.drain();
}

/** Every stored alert, oldest first. */
export async function storedAlerts(appliance: TestAppliance): Promise<Alert[]> {
  const all: Alert[] = [];
  for (let page = 1; ; page++) {
    const { items } = await appliance.server.seerflow.alertStore.query({ page, limit: 500 });
    all.push(...items);
    if (items.length < 500) break;
  }
  return all.sort((a, b) => (a.timestampNs < b.timestampNs ? -1 : a.timestampNs > b.timestampNs ? 1 : 0));
}
