/**
 * The threat-intel service the plugin wires: the indicator set, the matcher and detector over
 * it, one `FeedRunner` per feed, the expiry sweep, and the debounced settling (Bloom rebuild,
 * compaction) after changes. Offers what the plugin exposes: restore at start, snapshot rows
 * for the writer, feed status, refresh, and the `/stats` section.
 */
import type { Logger } from 'pino';
import type { ThreatIntelConfig } from '../../../main/config/types.js';
import { IocDetector } from './detector.js';
import { FeedRunner, type FeedRunnerDeps, type FeedState } from './feed-runner.js';
import type { IndicatorType } from './indicator.js';
import { IndicatorSet, SnapshotError } from './indicator-set.js';
import { Matcher } from './matcher.js';

export interface IntelServiceDeps {
  env: NodeJS.ProcessEnv;
  nowMs: () => number;
  logger: Pick<Logger, 'info' | 'warn'>;
  random?: () => number;
  /** Asked to commit snapshot rows soon (the writer's flush). */
  requestPersist: () => void;
  sleep?: FeedRunnerDeps['sleep'];
}

export class UnknownFeedError extends Error {
  override name = 'UnknownFeedError';
}

export class IntelService {
  readonly set: IndicatorSet;
  readonly matcher: Matcher;
  readonly detector: IocDetector;
  readonly runners: readonly FeedRunner[];
  readonly #config: ThreatIntelConfig;
  readonly #deps: IntelServiceDeps;
  #settleTimer: NodeJS.Timeout | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  #lastTaken: FeedRunner[] = [];

  constructor(config: ThreatIntelConfig, deps: IntelServiceDeps) {
    this.#config = config;
    this.#deps = deps;
    const { matcher } = config;
    this.set = new IndicatorSet({ fpr: matcher.fpr, minCapacity: matcher.min_capacity, growth: matcher.capacity_growth_factor });
    const random = deps.random ?? Math.random;
    const runnerDeps: FeedRunnerDeps = {
      set: this.set,
      config,
      env: deps.env,
      nowMs: deps.nowMs,
      logger: deps.logger,
      random,
      onChange: () => this.#changed(),
      sleep: deps.sleep,
    };
    this.runners = config.feeds.map((feed, index) => new FeedRunner(feed, index, runnerDeps));
    this.matcher = new Matcher(this.set.table, {
      enabledTypes: new Set<IndicatorType>(matcher.enabled ? matcher.enabled_types : []),
      urlFields: config.url_fields,
      graceS: config.expired_grace_days * 86_400,
      maxMatches: matcher.max_matches_per_event,
    });
    const names = { feedId: (feed: number) => config.feeds[feed]?.id ?? String(feed), phases: (index: number) => this.set.phases(index) };
    this.detector = new IocDetector(this.matcher, names, () => ({ status: matcher.enabled ? 'ok' : 'disabled' }));
  }

  /** Loads each enabled feed's snapshot (`load` reads model_state); a bad one is logged and skipped. */
  async restore(load: (key: string) => Promise<string | undefined>): Promise<void> {
    const nowS = Math.floor(this.#deps.nowMs() / 1000);
    for (const runner of this.runners) {
      if (!runner.feed.enabled) continue;
      const json = await load(runner.stateKey);
      if (json === undefined) continue;
      try {
        const restored = this.set.restore<FeedState>(runner.index, runner.feed.id, json, nowS, runner.policy);
        if (!runner.adoptState(restored.state, restored.savedAtS)) {
          this.set.clear(runner.index);
          runner.markDirty();
          this.#deps.logger.info({ feed: runner.feed.id }, 'threat-intel feed source changed; its saved indicators were dropped');
          continue;
        }
        this.#deps.logger.info({ feed: runner.feed.id, indicators: this.set.sizeOf(runner.index) }, 'threat-intel indicators restored');
      } catch (error) {
        if (!(error instanceof SnapshotError)) throw error;
        this.#deps.logger.warn({ feed: runner.feed.id, err: error.message }, 'threat-intel snapshot unreadable; the feed starts empty');
      }
    }
    this.set.settle();
  }

  /** Starts polling (first polls spread over `startup_jitter_s`) and the expiry sweep. */
  start(): void {
    const random = this.#deps.random ?? Math.random;
    for (const runner of this.runners) runner.start(random() * this.#config.startup_jitter_s * 1000);
    this.#sweepTimer = setInterval(() => this.sweep(), this.#config.sweep_interval_s * 1000);
    this.#sweepTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#sweepTimer);
    clearTimeout(this.#settleTimer);
    await Promise.all(this.runners.map((runner) => runner.stop()));
    this.set.settle();
  }

  /** Removes indicators past `valid_until` + grace now. */
  sweep(): void {
    const removed = this.set.sweep(Math.floor(this.#deps.nowMs() / 1000), this.#config.expired_grace_days * 86_400);
    for (const [feed, count] of removed) this.runners[feed]?.countExpired(count);
    if (removed.size > 0) this.#changed();
  }

  /** Snapshot rows of the feeds that changed, for the writer's next commit. */
  stateRows(): Array<{ key: string; data: string }> {
    const rows: Array<{ key: string; data: string }> = [];
    this.#lastTaken = [];
    for (const runner of this.runners) {
      const row = runner.takeSnapshot();
      if (row) {
        rows.push(row);
        this.#lastTaken.push(runner);
      }
    }
    return rows;
  }

  /** After a commit failed: the feeds whose snapshots it carried write them again next time. */
  persistFailed(): void {
    for (const runner of this.#lastTaken) runner.markDirty();
  }

  feeds(): Array<Record<string, unknown>> {
    const byFeed = this.detector.stats.matches_by_feed;
    return this.runners.map((runner) => runner.status(byFeed[runner.index] ?? 0));
  }

  /** Polls one feed (or every enabled one) now; resolves with their status once done. */
  async refresh(feedId?: string): Promise<Array<Record<string, unknown>>> {
    const chosen = feedId === undefined ? this.runners.filter((runner) => runner.feed.enabled) : this.runners.filter((runner) => runner.feed.id === feedId);
    if (feedId !== undefined && chosen.length === 0) throw new UnknownFeedError(`no threat-intel feed named ${feedId}`);
    await Promise.all(chosen.map((runner) => runner.refresh()));
    const byFeed = this.detector.stats.matches_by_feed;
    return chosen.map((runner) => runner.status(byFeed[runner.index] ?? 0));
  }

  /** The `threat_intel` section of `/stats`. */
  stats(): Record<string, unknown> {
    const table = this.set.table;
    const feeds: Record<string, unknown> = {};
    for (const status of this.feeds()) feeds[status.id as string] = status;
    return {
      feeds,
      matcher: {
        enabled: this.#config.matcher.enabled,
        indicators_loaded: table.size,
        memory_bytes: table.byteLength,
        bloom: table.bloom,
        expected_fpr: this.#config.matcher.fpr,
      },
      enrichment: { ...this.detector.stats, matches_by_feed: undefined },
    };
  }

  #changed(): void {
    this.#deps.requestPersist();
    // Removals leave stale Bloom bits and free rows: tidy once changes stop for a moment.
    clearTimeout(this.#settleTimer);
    this.#settleTimer = setTimeout(() => this.set.settle(), this.#config.matcher.rebuild_debounce_ms);
    this.#settleTimer.unref();
  }
}
