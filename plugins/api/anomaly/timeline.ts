/**
 * The anomaly timeline: per bucket, stored events and alerts (counts from the store), and the
 * blended scores and upper threshold of the ML ensemble.
 *
 * Scores come from the `ml` detector's per-minute summary of every scored event when it has
 * some for the bucket (the original kept such a ring in memory, reference §11.2); otherwise from
 * the scores and thresholds stored ML alerts carried (`details.score`, `details.threshold`), which
 * covers what happened before this process started. `upper_threshold` is carried forward.
 */
import type { AlertsRepository, ScoreSample } from '../../../main/storage/alerts-repository.js';
import type { BucketGrid } from '../../../main/storage/buckets.js';
import type { EventsRepository } from '../../../main/storage/events-repository.js';
import type { ScoreSummary } from '../../detectors/ml/score-summary.js';
import { bucketStart } from './windows.js';

export interface AnomalyBucket {
  bucket_start_ns: string;
  event_count: number;
  alert_count: number;
  max_score: number | null;
  avg_score: number | null;
  upper_threshold: number | null;
}

export async function anomalyTimeline(
  events: EventsRepository,
  alerts: AlertsRepository,
  grid: BucketGrid,
  source: string | undefined,
  summary?: ScoreSummary,
): Promise<{ items: AnomalyBucket[]; scoresTruncated: boolean }> {
  const eventCounts = await events.countBucketed(grid, source);
  const alertCounts = await alerts.countBucketed(grid, { source });
  const scores = await alerts.scoreSamples(grid, source);
  const stats = scoreStats(grid.count, scores.samples);
  if (summary) {
    const live = summary.buckets(Number(grid.startNs / MINUTE_NS), Number(grid.bucketNs / MINUTE_NS), grid.count, source);
    live.forEach((bucket, i) => {
      if (bucket.count > 0) stats[i] = bucket;
    });
  }
  let threshold: number | null = null;
  const items = eventCounts.map((eventCount, i) => {
    threshold = stats[i]!.threshold ?? threshold;
    return {
      bucket_start_ns: bucketStart(grid, i),
      event_count: eventCount,
      alert_count: alertCounts[i]!,
      max_score: stats[i]!.max,
      avg_score: stats[i]!.count > 0 ? stats[i]!.sum / stats[i]!.count : null,
      upper_threshold: threshold,
    };
  });
  return { items, scoresTruncated: scores.truncated };
}

const MINUTE_NS = 60_000_000_000n;

interface Stats {
  max: number | null;
  sum: number;
  count: number;
  threshold: number | null;
}

/** Per-bucket max, sum and count of scores; the threshold of the bucket's newest sample that has one. */
function scoreStats(buckets: number, samples: ScoreSample[]): Stats[] {
  const stats: Stats[] = Array.from({ length: buckets }, () => ({ max: null, sum: 0, count: 0, threshold: null }));
  // Samples come newest first: the first threshold met in a bucket is its latest.
  for (const sample of samples) {
    const s = stats[sample.bucket];
    if (!s) continue;
    if (sample.score !== null) {
      s.max = s.max === null ? sample.score : Math.max(s.max, sample.score);
      s.sum += sample.score;
      s.count++;
    }
    if (s.threshold === null) s.threshold = sample.threshold;
  }
  return stats;
}
