/**
 * Threat-intel matching with a million indicators loaded, on one core:
 * - memory: heap plus array buffers before and after loading 1M indicators (after GC), as a
 *   TAXII feed would leave them (each with a STIX id fingerprint, version, validity, phases). The
 *   mix: 45 % IPv4 addresses, 5 % IPv4 /24s, 5 % IPv6, 20 % domains, 15 % URLs, 10 % hashes
 *   (MD5, SHA-1, SHA-256). Target ≤ 64 MB;
 * - events/s through the `ioc` detector (lookups, and enrichment on the ~1 % that match) for
 *   syslog-like events (the pipeline bench's lines) and for web/proxy-like events that each
 *   carry a URL, a client address, a host name and a SHA-256. Target ≥ 500k events/s.
 * Events are normalized (entities extracted) before timing: only `IocDetector.process` is timed.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { SeerflowEvent } from '../main/core/event.js';
import { compileLogsourceRules } from '../main/core/logsource.js';
import { createNormalizer } from '../main/core/normalizer.js';
import { TemplateMiner } from '../main/core/template/template-miner.js';
import { IocDetector } from '../plugins/detectors/ioc/detector.js';
import { ALL_TYPES, IndicatorSet } from '../plugins/detectors/ioc/indicator-set.js';
import type { PatternObservable } from '../plugins/detectors/ioc/stix-pattern.js';
import { Matcher } from '../plugins/detectors/ioc/matcher.js';
import { idFingerprint, type StixIndicatorRecord } from '../plugins/detectors/ioc/stix-object.js';
import { type BenchResult, measure } from './harness.js';
import { syslogLines } from './lines.js';

const INDICATORS = 1_000_000;
const EVENTS = 100_000;
const TARGET_EVENTS_PER_S = 500_000;
const TARGET_MB = 64;
const NOW_S = 1_796_032_800;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Deterministic 32-bit values. */
function mixed(i: number, salt: number): number {
  let h = Math.imul(i ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hex(i: number, digits: number): string {
  let out = '';
  for (let k = 0; out.length < digits; k++) out += mixed(i, k + 11).toString(16).padStart(8, '0');
  return out.slice(0, digits);
}

function ipv4(i: number): string {
  const v = mixed(i, 1);
  return `${(v >>> 24) % 223 + 1}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** The i-th indicator of the mix. */
function observable(i: number): PatternObservable {
  const slot = i % 20;
  if (slot < 9) return { type: 'ipv4', value: ipv4(i) };
  if (slot === 9) return { type: 'ipv4', value: `${ipv4(i).replace(/\.\d+$/, '.0')}/24` };
  if (slot === 10) return { type: 'ipv6', value: `2001:0db8:${hex(i, 4)}:${hex(i + 1, 4)}:0000:0000:0000:${hex(i + 2, 4)}` };
  if (slot < 15) return { type: 'domain', value: `${hex(i, 10)}.bad${i % 50}.example` };
  if (slot < 18) return { type: 'url', value: `http://${hex(i, 8)}.example.net/download/${hex(i + 3, 12)}/payload.exe` };
  if (slot === 18) return i % 40 < 20 ? { type: 'md5', value: hex(i, 32) } : { type: 'sha1', value: hex(i, 40) };
  return { type: 'sha256', value: hex(i, 64) };
}

function load(): { set: IndicatorSet; seconds: number } {
  const set = new IndicatorSet({ fpr: 0.001, minCapacity: 100_000, growth: 1.25 });
  const policy = { confidenceFloor: 0, maxIndicators: INDICATORS, graceS: 30 * 86_400, enabledTypes: ALL_TYPES };
  const started = process.hrtime.bigint();
  set.table.reserve(INDICATORS, INDICATORS * 24);
  for (let chunk = 0; chunk < INDICATORS; chunk += 100_000) {
    const records: StixIndicatorRecord[] = [];
    for (let i = chunk; i < chunk + 100_000; i++) {
      records.push({ fp: idFingerprint(`indicator--${i}`), modifiedS: NOW_S - 3600, revoked: false, validUntilS: NOW_S + 86_400 * (i % 90), confidence: 40 + (i % 60), phases: i % 3 === 0 ? ['command-and-control'] : [], observables: [observable(i)] });
    }
    set.applyStix(0, records, NOW_S, policy);
  }
  set.table.compact(0);
  return { set, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

function normalized(lines: string[]): SeerflowEvent[] {
  const normalize = createNormalizer({ maxMessageLength: 32_768, maxEntitiesPerType: 32, miner: new TemplateMiner(), logsourceRules: compileLogsourceRules([]) });
  return lines.map((line, i) => normalize({ sourceType: 'syslog', sourceId: 'bench', receivedNs: BigInt(NOW_S) * 1_000_000_000n + BigInt(i), line }, BigInt(NOW_S) * 1_000_000_000n));
}

/** Every hundredth line mentions a listed value. */
function withHits(lines: string[]): string[] {
  return lines.map((line, i) => {
    if (i % 100 !== 0) return line;
    const listed = observable((i * 7919) % INDICATORS);
    return listed.type === 'url' ? `${line} GET ${listed.value}` : `${line} peer=${listed.value.replace(/\/24$/, '').replace(/\.0$/, '.9')}`;
  });
}

function webLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const client = `10.${i & 255}.${(i >> 8) & 255}.${1 + (i % 250)}`;
    return `<134>1 2026-11-30T10:00:00Z proxy01 squid 77 - - ${client} TCP_MISS/200 GET http://cdn${i % 5000}.site${i % 97}.example.org/assets/${hex(i, 8)}.js host=edge${i % 40}.corp.example.com sha256=${hex(i + 5_000_000, 64)}`;
  });
}

/** Heap and array buffers after a full collection; buffers are freed a moment after their objects. */
async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc();
  return process.memoryUsage();
}

export default async function run(): Promise<BenchResult[]> {
  const before = await settledMemory();
  const { set, seconds } = load();
  const after = await settledMemory();
  const megabytes = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 1_048_576;
  const tableMb = set.table.byteLength / 1_048_576;

  const matcher = new Matcher(set.table, { enabledTypes: ALL_TYPES, urlFields: ['url', 'url.full', 'http.url'], graceS: 30 * 86_400, maxMatches: 32 });
  const detector = new IocDetector(matcher, { feedId: () => 'bench', phases: (index) => set.phases(index) });
  const syslog = normalized(withHits(syslogLines(EVENTS)));
  const web = normalized(withHits(webLines(EVENTS)));
  const pass = (events: SeerflowEvent[]) => () => {
    for (const event of events) detector.process(event);
  };
  const results = [
    {
      ...measure(`ioc: load 1M indicators (heap+buffers +${megabytes.toFixed(1)} MB, table ${tableMb.toFixed(1)} MB; target ≤ ${TARGET_MB} MB)`, INDICATORS, () => undefined, undefined, 1),
      seconds,
    },
    measure('ioc: match syslog events, 1M indicators loaded', syslog.length, pass(syslog), TARGET_EVENTS_PER_S),
    measure('ioc: match web/proxy events (URL, IP, host, SHA-256), 1M indicators', web.length, pass(web), TARGET_EVENTS_PER_S),
  ];
  process.stderr.write(`ioc: ${detector.stats.matches_total} matches in ${detector.stats.checks_total} checks; memory ${megabytes.toFixed(1)} MB (${megabytes <= TARGET_MB ? 'meets' : 'misses'} ≤ ${TARGET_MB} MB)\n`);
  return results;
}
