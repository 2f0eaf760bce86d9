/**
 * The anomaly timeline from the store: per bucket, stored events and alerts, and the scores and
 * thresholds the ML alerts carried (`details.score`, `details.threshold`).
 *
 * The original kept an in-memory ring of every scored event (reference §11.2); from storage only
 * alerting scores are known, so `max_score`/`avg_score` describe ML alerts and are null in
 * buckets without one. `upper_threshold` is the latest threshold seen, carried forward.
 */
import type { AlertsRepository, ScoreSample } from '../../../main/storage/alerts-repository.js';
import type { BucketGrid } from '../../../main/storage/buckets.js';
import type { EventsRepository } from '../../../main/storage/events-repository.js';
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
): Promise<{ items: AnomalyBucket[]; scoresTruncated: boolean }> {
  const eventCounts = await events.countBucketed(grid, source);
  const alertCounts = await alerts.countBucketed(grid, { source });
  const scores = await alerts.scoreSamples(grid, source);
  const stats = scoreStats(grid.count, scores.samples);
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
