/**
 * The dashboard's live event path without a browser: stream frames (`batch` of 10 events, the
 * server's default) queued into the events store and applied once per animation frame (60 per
 * second), as the Events screen and the Overview chart receive them. Target: 10,000 events/s
 * with most of each 16 ms frame left for rendering, i.e. the store far above 10k events/s.
 * Rendering cost is measured in the browser by the e2e run (test-results/dashboard-metrics.json).
 */
import { createPinia, setActivePinia } from 'pinia';
import type { LiveEvent } from '../renderer/src/api/types.js';
import { useEventsStore } from '../renderer/src/stores/events.js';
import { type BenchResult, measure } from './harness.js';

const EVENTS = 100_000;
const BATCH = 10;
const FRAME_EVENTS = Math.ceil(10_000 / 60);

function events(count: number): LiveEvent[] {
  const now = BigInt(Date.now()) * 1_000_000n;
  return Array.from({ length: count }, (_, i) => ({
    event_id: `e${i}`,
    timestamp_ns: (now + BigInt(i)).toString(),
    observed_ns: (now + BigInt(i)).toString(),
    severity_id: i % 7,
    severity: 'Notice',
    source_type: i % 3 ? 'syslog' : 'otlp',
    source_id: 'bench',
    host: `host${i % 50}`,
    app: 'sshd',
    message: `Failed password for user${i % 500} from 10.0.${i % 250}.${i % 200} port ${1024 + (i % 60_000)} ssh2`,
    template_id: i % 40,
    template_str: 'Failed password for <*> from <*> port <*> ssh2',
    entity_refs: [`u${i % 500}`, `ip${i % 5000}`],
    entities: [],
    raw_event: '',
  }));
}

export default async function dashboardBench(): Promise<BenchResult[]> {
  const input = events(EVENTS);
  return [
    measure(
      'dashboard events store (10-event frames, 60 flushes/s)',
      EVENTS,
      () => {
        setActivePinia(createPinia());
        const store = useEventsStore();
        let pending: (() => void) | undefined;
        store.useScheduler((flush) => (pending = flush));
        for (let i = 0; i < EVENTS; i += BATCH) {
          store.enqueue(input.slice(i, i + BATCH));
          if ((i + BATCH) % FRAME_EVENTS < BATCH) pending?.();
        }
        pending?.();
      },
      10_000,
    ),
  ];
}
