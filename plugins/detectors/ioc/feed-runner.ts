/**
 * One feed's life: a timer that polls it (first after a random startup jitter, then every poll
 * interval ±5 %), the poll itself (TAXII or plain, from a URL or a file), the auth circuit
 * breaker, the counters and last-poll status shown in `/stats`, `/health` and
 * `seerflow intel list`, and the feed's persisted state (TAXII cursor, ETag) that is saved with
 * its indicators.
 *
 * A failing feed degrades only itself: its error is kept in its status and health, its
 * indicators stay as they were, and the next poll tries again. An empty or unreadable plain
 * list does not wipe the indicators a feed holds (a truncated download must not disarm it).
 */
import fs from 'node:fs/promises';
import type { Logger } from 'pino';
import type { IntelFeedConfig, ThreatIntelConfig } from '../../../main/config/types.js';
import type { ComponentHealth } from '../../../main/core/health.js';
import { authHeaders } from './feed-auth.js';
import { FeedError } from './feed-error.js';
import { createFeedHttp, type FeedHttp } from './http.js';
import type { IndicatorType } from './indicator.js';
import { emptyCounts, type ApplyCounts, type FeedPolicy, type IndicatorSet } from './indicator-set.js';
import { parsePlainFeed, PlainFeedError, type PlainFeedResult } from './plain-feed.js';
import { AuthBreaker, sleep, withRetry, type RetryPolicy } from './retry.js';
import { readStixObject, type StixIndicatorRecord } from './stix-object.js';
import { checkStatus, pollCollection, type TaxiiCursor } from './taxii-client.js';

export interface FeedRunnerDeps {
  set: IndicatorSet;
  config: ThreatIntelConfig;
  env: NodeJS.ProcessEnv;
  nowMs: () => number;
  logger: Pick<Logger, 'info' | 'warn'>;
  random: () => number;
  /** Told after a poll changed what the feed holds or its cursor (persist and settle soon). */
  onChange: () => void;
  /** Retry sleeps (tests pass a fast one). */
  sleep?: RetryPolicy['sleep'];
}

/** What is saved with the feed's indicators. */
export interface FeedState {
  /** What the state is about; a snapshot of another source is discarded. */
  source: string;
  cursor?: TaxiiCursor;
  etag?: string;
  last_modified?: string;
  last_success_ms?: number;
}

export type FeedRunState = 'idle' | 'polling' | 'ok' | 'error' | 'auth_circuit_open' | 'disabled';

interface Counters extends ApplyCounts {
  polls: number;
  failures: number;
  notModified: number;
  objects: number;
  rejected: number;
  unsupported: number;
}

export class FeedRunner {
  readonly feed: IntelFeedConfig;
  readonly index: number;
  readonly #deps: FeedRunnerDeps;
  readonly #policy: FeedPolicy;
  readonly #retry: RetryPolicy;
  readonly #breaker: AuthBreaker;
  #http: FeedHttp | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #abort: AbortController | undefined;
  #stopped = false;
  #state: FeedState;
  #dirty = false;
  #run: FeedRunState;
  #lastPollMs: number | null = null;
  #lastSuccessMs: number | null = null;
  #lastDurationMs: number | null = null;
  #nextPollMs: number | null = null;
  #lastError: { code: string; message: string } | null = null;
  #rejectedSamples: PlainFeedResult['rejectedSamples'] = [];
  readonly #counters: Counters = { ...emptyCounts(), polls: 0, failures: 0, notModified: 0, objects: 0, rejected: 0, unsupported: 0 };

  constructor(feed: IntelFeedConfig, index: number, deps: FeedRunnerDeps) {
    this.feed = feed;
    this.index = index;
    this.#deps = deps;
    const { config } = deps;
    this.#policy = {
      confidenceFloor: Math.max(feed.confidence_floor, config.matcher.confidence_floor),
      maxIndicators: config.max_indicators_per_feed,
      graceS: config.expired_grace_days * 86_400,
      enabledTypes: new Set<IndicatorType>(config.matcher.enabled_types),
    };
    this.#retry = { attempts: config.retry_attempts, baseDelayMs: config.retry_base_delay_s * 1000, maxDelayMs: 60_000, sleep: deps.sleep ?? sleep, random: deps.random };
    this.#breaker = new AuthBreaker(config.auth_failure_threshold, config.auth_circuit_open_s * 1000);
    this.#state = { source: this.#source() };
    this.#run = feed.enabled ? 'idle' : 'disabled';
  }

  /** The model_state key of this feed's snapshot. */
  get stateKey(): string {
    return `ioc:feed:${this.feed.id}`;
  }

  get policy(): FeedPolicy {
    return this.#policy;
  }

  /** Starts polling: the first poll after `firstDelayMs`. */
  start(firstDelayMs: number): void {
    if (!this.feed.enabled || this.#stopped) return;
    this.#schedule(firstDelayMs);
  }

  /** Stops the timer, cancels a poll in flight and waits for it, closes connections. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#nextPollMs = null;
    this.#abort?.abort();
    await this.#running;
    await this.#http?.close();
  }

  /** Polls now (or joins the poll in flight); resolves when it is done, whatever the outcome. */
  refresh(): Promise<void> {
    if (!this.feed.enabled || this.#stopped) return Promise.resolve();
    if (this.#running) return this.#running;
    if (this.#timer) clearTimeout(this.#timer);
    this.#running = this.#poll().finally(() => {
      this.#running = undefined;
      if (!this.#stopped) this.#schedule(this.#intervalMs());
    });
    return this.#running;
  }

  /** Restores a snapshot's state (the indicators were restored by the set); false if discarded. */
  adoptState(state: FeedState | undefined, savedAtS: number): boolean {
    if (state?.source !== this.#state.source) return false;
    this.#state = state;
    this.#lastSuccessMs = state.last_success_ms ?? savedAtS * 1000;
    return true;
  }

  /** The snapshot row when the feed changed since the last one; marks it clean. */
  takeSnapshot(): { key: string; data: string } | undefined {
    if (!this.#dirty) return undefined;
    this.#dirty = false;
    const nowS = Math.floor(this.#deps.nowMs() / 1000);
    return { key: this.stateKey, data: this.#deps.set.snapshot(this.index, this.feed.id, this.#state, nowS) };
  }

  /** For when a snapshot could not be committed: write it again next time. */
  markDirty(): void {
    this.#dirty = true;
  }

  health(): ComponentHealth {
    if (this.#run === 'disabled') return { status: 'disabled' };
    const held = `${this.#deps.set.sizeOf(this.index)} indicators`;
    if (this.#run === 'auth_circuit_open') {
      const until = this.#breaker.reopensAtMs();
      return { status: 'degraded', detail: `auth failures: paused until ${until ? new Date(until).toISOString() : '?'}; ${held}` };
    }
    if (this.#run === 'error') return { status: 'degraded', detail: `${this.#lastError?.message ?? 'poll failed'}; ${held}` };
    if (this.#lastSuccessMs === null) return { status: 'ok', detail: `waiting for the first poll; ${held}` };
    return { status: 'ok', detail: `${held}, last poll ${new Date(this.#lastSuccessMs).toISOString()}` };
  }

  status(matches: number): Record<string, unknown> {
    const c = this.#counters;
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      id: this.feed.id,
      format: this.feed.format,
      enabled: this.feed.enabled,
      source: this.#displaySource(),
      collection_id: this.feed.collection_id ?? null,
      state: this.#run,
      indicators: this.#deps.set.sizeOf(this.index),
      indicators_by_type: this.#deps.set.typesOf(this.index),
      last_poll_at: iso(this.#lastPollMs),
      last_success_at: iso(this.#lastSuccessMs),
      last_duration_ms: this.#lastDurationMs,
      next_poll_at: iso(this.#nextPollMs),
      last_error: this.#lastError?.message ?? null,
      last_error_code: this.#lastError?.code ?? null,
      auth_circuit: this.#breaker.state(this.#deps.nowMs()),
      cursor: this.#state.cursor?.addedAfter ?? null,
      polls_total: c.polls,
      failures_total: c.failures,
      not_modified_total: c.notModified,
      objects_total: c.objects,
      added_total: c.added,
      removed_total: c.removed,
      revoked_total: c.revoked,
      expired_total: c.expired,
      below_floor_total: c.belowFloor,
      stale_total: c.stale,
      capped_total: c.capped,
      skipped_type_total: c.skippedType,
      rejected_total: c.rejected,
      rejected_samples: this.#rejectedSamples,
      unsupported_total: c.unsupported,
      matches_total: matches,
    };
  }

  /** Adds expiry sweep removals to the counters. */
  countExpired(removed: number): void {
    this.#counters.removed += removed;
    this.#counters.expired += removed;
    this.#dirty = true;
  }

  // ── Polling ──────────────────────────────────────────────────────────────────────────────────

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#nextPollMs = this.#deps.nowMs() + delayMs;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.refresh();
    }, delayMs);
    this.#timer.unref();
  }

  #intervalMs(): number {
    const seconds = this.feed.poll_interval_s ?? this.#deps.config.default_poll_interval_s;
    return seconds * 1000 * (0.95 + this.#deps.random() * 0.1);
  }

  async #poll(): Promise<void> {
    const started = this.#deps.nowMs();
    if (!this.#breaker.allows(started)) {
      this.#run = 'auth_circuit_open';
      return;
    }
    this.#run = 'polling';
    this.#counters.polls++;
    this.#abort = new AbortController();
    try {
      if (this.feed.format === 'taxii') await this.#pollTaxii(this.#abort.signal);
      else await this.#pollPlain(this.#abort.signal);
      this.#breaker.recordSuccess();
      this.#run = 'ok';
      this.#lastError = null;
      this.#lastSuccessMs = this.#deps.nowMs();
      this.#state.last_success_ms = this.#lastSuccessMs;
    } catch (error) {
      const failure = error instanceof FeedError ? error : new FeedError('bad_response', (error as Error).message);
      if (failure.code === 'aborted') {
        this.#run = 'idle';
        return;
      }
      this.#counters.failures++;
      if (failure.code === 'auth') this.#breaker.recordAuthFailure(this.#deps.nowMs());
      this.#run = this.#breaker.allows(this.#deps.nowMs()) ? 'error' : 'auth_circuit_open';
      this.#lastError = { code: failure.code, message: failure.message };
      this.#deps.logger.warn({ feed: this.feed.id, code: failure.code, err: failure.message }, 'threat-intel feed poll failed');
    } finally {
      this.#abort = undefined;
      this.#lastPollMs = started;
      this.#lastDurationMs = this.#deps.nowMs() - started;
    }
  }

  async #pollTaxii(signal: AbortSignal): Promise<void> {
    const { config } = this.#deps;
    const result = await pollCollection(this.feed.url as string, this.feed.collection_id as string, this.#state.cursor ?? {}, {
      fetch: this.#fetcher().fetch,
      headers: authHeaders(this.feed.auth, this.#deps.env),
      retry: this.#retry,
      maxObjects: config.max_objects_per_poll,
      pageLimit: this.feed.page_size ?? undefined,
      signal,
    });
    const cursorChanged = JSON.stringify(result.cursor) !== JSON.stringify(this.#state.cursor ?? {});
    this.#state.cursor = result.cursor;
    if (result.notModified) {
      this.#counters.notModified++;
      if (cursorChanged) this.#changed();
      return;
    }
    const records: StixIndicatorRecord[] = [];
    for (const object of result.objects) {
      const outcome = readStixObject(object, this.feed.default_confidence);
      if (outcome.kind === 'indicator') records.push(outcome.record);
      else if (outcome.kind === 'rejected') this.#counters.rejected++;
      else if (outcome.kind === 'unsupported') this.#counters.unsupported++;
    }
    this.#counters.objects += result.objects.length;
    const counts = this.#deps.set.applyStix(this.index, records, Math.floor(this.#deps.nowMs() / 1000), this.#policy);
    this.#add(counts);
    this.#changed();
    if (result.truncated) this.#deps.logger.info({ feed: this.feed.id, objects: result.objects.length }, 'threat-intel poll stopped at max_objects_per_poll; the next poll continues');
  }

  async #pollPlain(signal: AbortSignal): Promise<void> {
    const body = this.feed.path !== undefined ? await this.#readFile() : await this.#download(signal);
    if (body === undefined) {
      this.#counters.notModified++;
      return;
    }
    let parsed: PlainFeedResult;
    try {
      parsed = parsePlainFeed(body.text, {
        format: this.feed.format === 'csv' ? 'csv' : 'lines',
        indicatorType: this.feed.indicator_type,
        csvColumn: this.feed.csv_column,
        csvDelimiter: this.feed.csv_delimiter,
      });
    } catch (error) {
      if (error instanceof PlainFeedError) throw new FeedError('bad_response', error.message);
      throw error;
    }
    this.#counters.rejected += parsed.rejected;
    this.#rejectedSamples = parsed.rejectedSamples;
    const held = this.#deps.set.sizeOf(this.index);
    if (parsed.indicators.length === 0 && held > 0) {
      throw new FeedError('bad_response', `the feed gave no indicators (${parsed.rejected} lines rejected); keeping the ${held} held`);
    }
    const counts = this.#deps.set.replacePlain(this.index, parsed.indicators, { confidence: this.feed.default_confidence, phases: this.feed.kill_chain_phases }, this.#policy);
    this.#add(counts);
    this.#state.etag = body.etag;
    this.#state.last_modified = body.lastModified;
    this.#changed();
  }

  /** The file's text, or undefined when its size and mtime are those of the last read. */
  async #readFile(): Promise<{ text: string; etag?: string; lastModified?: string } | undefined> {
    const file = this.feed.path as string;
    try {
      const stat = await fs.stat(file);
      const stamp = `${stat.size}:${stat.mtimeMs}`;
      if (stamp === this.#state.etag) return undefined;
      if (stat.size > this.#deps.config.max_response_bytes) {
        throw new FeedError('too_large', `${file} is ${stat.size} bytes, over max_response_bytes`);
      }
      return { text: await fs.readFile(file, 'utf8'), etag: stamp };
    } catch (error) {
      if (error instanceof FeedError) throw error;
      throw new FeedError('file', `cannot read ${file}: ${(error as Error).message}`);
    }
  }

  /** The body, or undefined on 304 (the ETag or Last-Modified of the last download matched). */
  async #download(signal: AbortSignal): Promise<{ text: string; etag?: string; lastModified?: string } | undefined> {
    const url = this.feed.url as string;
    const headers: Record<string, string> = { Accept: 'text/plain, text/csv, */*', ...authHeaders(this.feed.auth, this.#deps.env) };
    if (this.#state.etag !== undefined) headers['If-None-Match'] = this.#state.etag;
    if (this.#state.last_modified !== undefined) headers['If-Modified-Since'] = this.#state.last_modified;
    const fetcher = this.#fetcher();
    const response = await withRetry(this.#retry, async () => checkStatus(await fetcher.fetch({ url, headers, signal }), url), signal);
    if (response.status === 304) return undefined;
    return { text: response.text, etag: response.header('etag') ?? undefined, lastModified: response.header('last-modified') ?? undefined };
  }

  #fetcher(): FeedHttp {
    this.#http ??= createFeedHttp({
      allowPrivate: this.feed.allow_private_addresses,
      allowInsecure: this.feed.allow_insecure,
      timeoutMs: this.#deps.config.request_timeout_s * 1000,
      maxBytes: this.#deps.config.max_response_bytes,
    });
    return this.#http;
  }

  #add(counts: ApplyCounts): void {
    const c = this.#counters;
    c.added += counts.added;
    c.removed += counts.removed;
    c.revoked += counts.revoked;
    c.expired += counts.expired;
    c.belowFloor += counts.belowFloor;
    c.stale += counts.stale;
    c.capped += counts.capped;
    c.skippedType += counts.skippedType;
    if (counts.capped > 0) {
      this.#deps.logger.warn({ feed: this.feed.id, capped: counts.capped }, 'threat-intel feed over max_indicators_per_feed; raise it to keep them all');
    }
  }

  #changed(): void {
    this.#dirty = true;
    this.#deps.onChange();
  }

  #source(): string {
    return [this.feed.format, this.feed.url ?? `file:${this.feed.path ?? ''}`, this.feed.collection_id ?? ''].join('|');
  }

  #displaySource(): string {
    if (this.feed.path !== undefined) return this.feed.path;
    const url = new URL(this.feed.url as string);
    return `${url.origin}${url.pathname}`; // a query may carry a key: not shown
  }
}
