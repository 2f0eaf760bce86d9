/**
 * Events: the live ring the stream fills and the server-side search.
 *
 * The stream can deliver thousands of events a second: frames are queued and applied once per
 * animation frame (one array replacement, one render), the ring keeps the newest `MAX_LIVE`,
 * and while paused the newest `MAX_PAUSED` wait in a buffer (older ones are counted as
 * dropped). Per-second volume by severity (by the second the appliance received each event),
 * entity activity and pipeline latency are taken from the same flush, for the Overview.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { isAbort } from '../api/client';
import { searchEvents, type EventQuery } from '../api/events';
import type { LiveEvent } from '../api/types';
import { severityTone } from '../lib/severity';
import { isoHoursAgo, nsToMs } from '../lib/time';

export const MAX_LIVE = 2000;
export const MAX_PAUSED = 5000;
/** Seconds of per-second volume kept for the Overview chart. */
export const VOLUME_SECONDS = 120;
/** An entity seen within this window counts as active. */
export const ACTIVE_WINDOW_MS = 15 * 60_000;
const MAX_TRACKED_ENTITIES = 50_000;
const WARM_UP_LIMIT = 200;

export interface VolumeSecond {
  second: number;
  info: number;
  warn: number;
  crit: number;
}

export interface EventSearch extends Omit<EventQuery, 'since' | 'until' | 'page' | 'limit'> {
  hours?: number;
}

/** Runs `flush` before the next paint (rAF in the browser; tests pass their own). */
export type FrameScheduler = (flush: () => void) => void;
const nextFrame: FrameScheduler = (flush) =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => flush()) : setTimeout(flush, 16);

export const useEventsStore = defineStore('events', () => {
  const live = shallowRef<LiveEvent[]>([]);
  const paused = ref(false);
  const pausedBuffer = shallowRef<LiveEvent[]>([]);
  const droppedWhilePaused = ref(0);
  const received = ref(0);
  const volume = shallowRef<VolumeSecond[]>([]);
  const activeEntities = ref(0);
  /** Mean ms from a receiver accepting an event to this page getting it (EMA). */
  const latencyMs = ref<number | null>(null);
  const liveMinSeverity = ref(0);
  const liveSources = ref<string[]>([]);

  const search = ref<EventSearch>({});
  const results = shallowRef<LiveEvent[]>([]);
  const resultsTotal = ref(0);
  const resultsCapped = ref(false);
  const searching = ref(false);
  const searchError = ref('');
  const searched = ref(false);

  let pending: LiveEvent[] = [];
  let scheduled = false;
  let schedule: FrameScheduler = nextFrame;
  const entitySeen = new Map<string, number>();
  let entitiesCountedAt = 0;
  let searchController: AbortController | undefined;

  const visible = computed(() => {
    const min = liveMinSeverity.value;
    const sources = new Set(liveSources.value);
    if (min === 0 && sources.size === 0) return live.value;
    return live.value.filter((e) => e.severity_id >= min && (sources.size === 0 || sources.has(e.source_type)));
  });
  const knownSources = computed(() => [...new Set(live.value.map((e) => e.source_type))].sort());

  /** Queue streamed events; they are applied on the next frame. */
  function enqueue(events: readonly LiveEvent[]): void {
    for (const event of events) pending.push(event);
    if (!scheduled) {
      scheduled = true;
      schedule(flush);
    }
  }

  function flush(): void {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    received.value += batch.length;
    measure(batch, Date.now());
    const newestFirst = batch.reverse();
    if (paused.value) {
      const buffer = newestFirst.concat(pausedBuffer.value);
      droppedWhilePaused.value += Math.max(0, buffer.length - MAX_PAUSED);
      pausedBuffer.value = buffer.slice(0, MAX_PAUSED);
    } else {
      live.value = newestFirst.concat(live.value).slice(0, MAX_LIVE);
    }
  }

  function measure(batch: readonly LiveEvent[], nowMs: number): void {
    let latencySum = 0;
    for (const event of batch) {
      for (const id of event.entity_refs ?? []) entitySeen.set(id, nowMs);
      latencySum += Math.max(0, nowMs - nsToMs(event.observed_ns));
    }
    countVolume(batch, nowMs);
    const mean = latencySum / batch.length;
    latencyMs.value = latencyMs.value === null ? mean : latencyMs.value * 0.8 + mean * 0.2;
    if (nowMs - entitiesCountedAt >= 1000) countActive(nowMs);
  }

  /** Add `events` to the per-second volume by the second the appliance received each one. */
  function countVolume(events: readonly LiveEvent[], nowMs: number): void {
    const last = Math.floor(nowMs / 1000);
    const first = last - VOLUME_SECONDS + 1;
    const slots = new Map(volume.value.filter((v) => v.second >= first).map((v) => [v.second, { ...v }]));
    for (const event of events) {
      const second = Math.floor(nsToMs(event.observed_ns) / 1000);
      if (second < first || second > last) continue;
      let slot = slots.get(second);
      if (!slot) slots.set(second, (slot = { second, info: 0, warn: 0, crit: 0 }));
      slot[severityTone(event.severity_id)]++;
    }
    if (slots.size === 0) return;
    // Dense from the oldest counted second to now, so quiet seconds show as zero.
    const start = Math.min(...slots.keys());
    volume.value = Array.from({ length: last - start + 1 }, (_, i) => slots.get(start + i) ?? { second: start + i, info: 0, warn: 0, crit: 0 });
  }

  /** Forget entities idle past the window (and the oldest beyond the cap), count the rest. */
  function countActive(nowMs: number): void {
    entitiesCountedAt = nowMs;
    for (const [id, seen] of entitySeen) {
      if (nowMs - seen > ACTIVE_WINDOW_MS || entitySeen.size > MAX_TRACKED_ENTITIES) entitySeen.delete(id);
    }
    activeEntities.value = entitySeen.size;
  }

  /** The newest stored events, so the list is not empty before the stream speaks. */
  async function warm(): Promise<void> {
    try {
      const page = await searchEvents({ limit: WARM_UP_LIMIT });
      const known = new Set(live.value.map((e) => e.event_id));
      live.value = live.value.concat(page.items.filter((e) => !known.has(e.event_id))).slice(0, MAX_LIVE);
      const now = Date.now();
      for (const event of page.items) {
        if (now - nsToMs(event.observed_ns) <= ACTIVE_WINDOW_MS) for (const id of event.entity_refs ?? []) entitySeen.set(id, now);
      }
      countActive(now);
      countVolume(page.items, now);
    } catch {
      // The stream fills the list anyway; the Events screen shows search errors itself.
    }
  }

  function pause(): void {
    paused.value = true;
  }

  function resume(): void {
    paused.value = false;
    live.value = pausedBuffer.value.concat(live.value).slice(0, MAX_LIVE);
    pausedBuffer.value = [];
    droppedWhilePaused.value = 0;
  }

  async function runSearch(next: EventSearch, limit = 500): Promise<void> {
    search.value = { ...next };
    searchController?.abort();
    const controller = (searchController = new AbortController());
    searching.value = true;
    const { hours, ...rest } = next;
    try {
      const page = await searchEvents({ ...rest, since: hours ? isoHoursAgo(hours) : undefined, limit }, controller.signal);
      results.value = page.items;
      resultsTotal.value = page.meta.total;
      resultsCapped.value = page.meta.total_capped === true;
      searchError.value = '';
      searched.value = true;
    } catch (e) {
      if (!isAbort(e)) searchError.value = (e as Error).message;
    } finally {
      if (searchController === controller) searching.value = false;
    }
  }

  function clearSearch(): void {
    searchController?.abort();
    search.value = {};
    results.value = [];
    searched.value = false;
    searchError.value = '';
  }

  /** For tests: apply frames with `scheduler` instead of animation frames. */
  function useScheduler(scheduler: FrameScheduler): void {
    schedule = scheduler;
  }

  return {
    live,
    visible,
    knownSources,
    paused,
    pausedBuffer,
    droppedWhilePaused,
    received,
    volume,
    activeEntities,
    latencyMs,
    liveMinSeverity,
    liveSources,
    search,
    results,
    resultsTotal,
    resultsCapped,
    searching,
    searchError,
    searched,
    enqueue,
    warm,
    pause,
    resume,
    runSearch,
    clearSearch,
    useScheduler,
  };
});
