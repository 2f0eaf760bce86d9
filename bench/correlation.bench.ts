/**
 * The correlation detector alone: events/s of `CorrelationDetector.process` over the OpenSSH and
 * Linux Loghub samples (normalized beforehand, in event-time order, repeated with shifted times
 * to 200k events), with the bundled rules and the default configuration. Graph analysis runs are
 * included: their deferred slices are drained after each event, so their cost is in the figure.
 * The repeats add no new edges, so after the first pass the graph's shape is steady and runs are
 * skipped as unchanged (as on a server whose population of users, hosts and addresses is stable).
 * A second run hands one Sigma-like alert to every tenth event (risk register and kill chain).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Alert } from '../main/core/alert.js';
import type { SeerflowEvent } from '../main/core/event.js';
import { compileLogsourceRules } from '../main/core/logsource.js';
import { createNormalizer } from '../main/core/normalizer.js';
import { TemplateMiner } from '../main/core/template/template-miner.js';
import { validateConfig } from '../main/config/load.js';
import { CorrelationDetector } from '../plugins/detectors/correlation/detector.js';
import { detectorOptions } from '../plugins/detectors/correlation/options.js';
import { loadRulePack } from '../plugins/detectors/correlation/rule-loader.js';
import { type BenchResult, measure } from './harness.js';
import { LOGHUB_DIR } from './loghub.js';

const TOTAL = 200_000;
const TARGET = 50_000;
// 2025-12-31: BSD timestamps carry no year, this puts the samples in 2025 (as the scenarios do).
const RECEIVED_NS = 1_767_139_200_000_000_000n;

function sampleEvents(): SeerflowEvent[] {
  const normalize = createNormalizer({ maxMessageLength: 8192, maxEntitiesPerType: 32, miner: new TemplateMiner(), logsourceRules: compileLogsourceRules([]) });
  const events = ['OpenSSH', 'Linux'].flatMap((name) => {
    const file = path.join(LOGHUB_DIR, name, `${name}_2k.log`);
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => normalize({ sourceType: 'syslog', sourceId: name, receivedNs: RECEIVED_NS, line }, RECEIVED_NS));
  });
  return events.sort((a, b) => (a.timestampNs < b.timestampNs ? -1 : a.timestampNs > b.timestampNs ? 1 : 0));
}

/** The sample repeated to `total` events, each pass shifted past the previous one. */
function stream(sample: readonly SeerflowEvent[], total: number): SeerflowEvent[] {
  const span = sample[sample.length - 1]!.timestampNs - sample[0]!.timestampNs + 1_000_000_000n;
  return Array.from({ length: total }, (_, i) => {
    const event = sample[i % sample.length]!;
    const pass = BigInt(Math.floor(i / sample.length));
    return { ...event, eventId: `${event.eventId}-${pass}`, timestampNs: event.timestampNs + pass * span };
  });
}

function sigmaLike(event: SeerflowEvent): Alert[] {
  const entity = event.entities[0];
  if (!entity) return [];
  return [{
    alertId: `a-${event.eventId}`, alertType: 'sigma', timestampNs: event.timestampNs, lastSeenNs: event.timestampNs, severity: 3, ruleName: 'bench',
    description: '', sourceType: event.sourceType, sourceId: event.sourceId, entityId: entity.id, entityType: entity.type, entityValue: entity.value,
    dedupKey: 'bench', dedupCount: 1, riskScore: 0.5, feedback: null, tactics: ['credential_access'], techniques: [], contributingEventIds: [], details: {},
  }];
}

export default async function (): Promise<BenchResult[]> {
  const sample = sampleEvents();
  if (sample.length === 0) {
    process.stderr.write(`correlation bench: ${LOGHUB_DIR} not found, skipped\n`);
    return [];
  }
  const { rules } = await loadRulePack([]);
  const config = validateConfig({}, {});
  const events = stream(sample, TOTAL);
  const raised = events.map((event, i) => (i % 10 === 0 ? sigmaLike(event) : []));
  let sink = 0;
  const run = (withAlerts: boolean) => () => {
    const deferred: Array<() => void> = [];
    const detector = new CorrelationDetector(rules, detectorOptions(config, { defer: (step) => deferred.push(step), onDeferredAlerts: (alerts) => (sink += alerts.length) }));
    for (let i = 0; i < events.length; i++) {
      sink += detector.process(events[i]!, withAlerts ? raised[i]! : []).length;
      while (deferred.length > 0) deferred.shift()!();
    }
  };
  const results = [
    measure(`correlation detector, ${rules.size} bundled rules, Loghub OpenSSH + Linux`, events.length, run(false), TARGET),
    measure('correlation detector, same stream, a Sigma alert on every 10th event', events.length, run(true), TARGET),
  ];
  if (sink < 0) process.stderr.write('unreachable\n');
  return results;
}
