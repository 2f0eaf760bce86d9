/**
 * The `ml` detector alone, per event on one core: 100k synthetic syslog events (normalized
 * beforehand, outside the timing) through the ensemble with its default configuration, after a
 * first pass that warms every model up (the timed passes score, learn and threshold as in
 * steady state). The full pipeline's target is 50k events/s; this is the ML share of it.
 */
import { validateConfig } from '../main/config/load.js';
import type { SeerflowEvent } from '../main/core/event.js';
import { compileLogsourceRules } from '../main/core/logsource.js';
import { createNormalizer } from '../main/core/normalizer.js';
import { TemplateMiner } from '../main/core/template/template-miner.js';
import { attackMapperFor } from '../plugins/detectors/ml/attack-mapper.js';
import { MlDetector } from '../plugins/detectors/ml/detector.js';
import { Ensemble, ensembleOptionsFromConfig } from '../plugins/detectors/ml/ensemble.js';
import { ScoreSummary } from '../plugins/detectors/ml/score-summary.js';
import { type BenchResult, measure } from './harness.js';
import { syslogLines } from './lines.js';

const EVENTS = 100_000;
const MINUTE_NS = 60_000_000_000n;

export default async function run(): Promise<BenchResult[]> {
  const normalize = createNormalizer({ maxMessageLength: 32_768, maxEntitiesPerType: 32, miner: new TemplateMiner(), logsourceRules: compileLogsourceRules([]) });
  // 2000 events a minute; each pass continues the previous one's clock.
  const events: SeerflowEvent[] = syslogLines(EVENTS).map((line, i) =>
    normalize({ sourceType: 'syslog', sourceId: 'bench', receivedNs: 0n, line }, 1_796_032_800_000_000_000n + BigInt(i) * 30_000_000n),
  );
  const config = validateConfig({}, {}).detection;
  const detector = new MlDetector(new Ensemble(ensembleOptionsFromConfig(config)), attackMapperFor([]), new ScoreSummary(), {
    clock: () => 0n,
    saveIntervalNs: 1n << 62n,
  });
  let pass = 0;
  const cpuBefore = process.cpuUsage();
  const spanNs = BigInt(EVENTS / 2000) * MINUTE_NS;
  const result = measure('ml detector (ensemble + alerts), default config', EVENTS, () => {
    const shift = BigInt(pass++) * spanNs;
    for (const event of events) {
      event.timestampNs += shift === 0n ? 0n : spanNs;
      detector.process(event);
    }
  }, 50_000);
  // CPU time as well as wall time: on a shared machine the wall clock also counts waiting for a core.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(`ml: ${Math.round((pass * EVENTS) / cpuSeconds).toLocaleString('en-US')} events per CPU-second over ${pass} passes`);
  const stats = detector.stats() as { estimated_memory_bytes: number; anomalies: number };
  console.log(`ml: ${Math.round(stats.estimated_memory_bytes / 1024)} KiB of models, ${stats.anomalies} anomalies over ${pass * EVENTS} events`);
  return [result];
}
