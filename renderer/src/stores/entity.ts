/**
 * Entities: free-text search, and the entity page (cross-source timeline with related entities,
 * risk history, UEBA baseline). Each request kind has its own AbortController, so switching
 * entities never paints an older answer.
 *
 * Baseline states: `ready`; `warming_up` (404 with `status: warming_up`: the UEBA engine has not
 * seen enough yet); `none` (another 404: UEBA has no profile of this entity); `off` (503: UEBA
 * disabled or not ready); `failed`.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { ApiError, isAbort } from '../api/client';
import { entityBaseline, entityTimeline, riskHistory, searchEntities } from '../api/entities';
import type { Baseline, EntityHit, EntityTimeline, Range, RiskBucket } from '../api/types';

export type BaselineState = 'loading' | 'ready' | 'warming_up' | 'none' | 'off' | 'failed';
const RANGE_HOURS: Record<Range, number> = { '1h': 1, '6h': 6, '24h': 24, '7d': 168 };

export const useEntityStore = defineStore('entity', () => {
  const query = ref('');
  const hits = shallowRef<EntityHit[]>([]);
  const searching = ref(false);
  const searchError = ref('');

  const uuid = ref('');
  const range = ref<Range>('24h');
  const timeline = shallowRef<EntityTimeline | null>(null);
  const timelineError = ref('');
  const notFound = ref(false);
  const risk = shallowRef<RiskBucket[]>([]);
  const baseline = shallowRef<Baseline | null>(null);
  const baselineState = ref<BaselineState>('loading');
  const baselineInfo = shallowRef<Record<string, unknown>>({});
  const controllers = new Map<string, AbortController>();

  /** A fresh signal for request kind `kind`, aborting the previous request of that kind. */
  function signalFor(kind: string): AbortSignal {
    controllers.get(kind)?.abort();
    const controller = new AbortController();
    controllers.set(kind, controller);
    return controller.signal;
  }

  async function search(q: string): Promise<void> {
    query.value = q;
    const signal = signalFor('search');
    if (!q.trim()) {
      hits.value = [];
      return;
    }
    searching.value = true;
    try {
      hits.value = await searchEntities(q.trim(), signal);
      searchError.value = '';
    } catch (e) {
      if (!isAbort(e)) searchError.value = (e as Error).message;
    } finally {
      if (!signal.aborted) searching.value = false;
    }
  }

  async function open(id: string, nextRange: Range = range.value): Promise<void> {
    uuid.value = id;
    range.value = nextRange;
    notFound.value = false;
    timeline.value = null;
    timelineError.value = '';
    risk.value = [];
    baseline.value = null;
    baselineState.value = 'loading';
    await Promise.all([loadTimeline(id), loadRisk(id), loadBaseline(id)]);
  }

  async function loadTimeline(id: string): Promise<void> {
    const signal = signalFor('timeline');
    const endMs = Date.now();
    const toNs = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
    try {
      timeline.value = await entityTimeline(
        id,
        { start_ns: toNs(endMs - RANGE_HOURS[range.value] * 3_600_000), end_ns: toNs(endMs), limit: 1000 },
        signal,
      );
    } catch (e) {
      if (isAbort(e)) return;
      if (e instanceof ApiError && e.status === 404) notFound.value = true;
      else timelineError.value = (e as Error).message;
    }
  }

  async function loadRisk(id: string): Promise<void> {
    const signal = signalFor('risk');
    try {
      risk.value = (await riskHistory(id, range.value, signal)).items;
    } catch {
      risk.value = [];
    }
  }

  async function loadBaseline(id: string): Promise<void> {
    const signal = signalFor('baseline');
    try {
      baseline.value = await entityBaseline(id, signal);
      baselineState.value = baseline.value.warmup_complete === false ? 'warming_up' : 'ready';
      baselineInfo.value = {};
    } catch (e) {
      if (isAbort(e)) return;
      const body = e instanceof ApiError ? e.body : {};
      baselineInfo.value = body;
      if (body.status === 'warming_up') baselineState.value = 'warming_up';
      else if (e instanceof ApiError && e.status === 404) baselineState.value = 'none';
      else if (e instanceof ApiError && e.isNotReady) baselineState.value = 'off';
      else baselineState.value = 'failed';
    }
  }

  function setRange(next: Range): Promise<void> {
    return open(uuid.value, next);
  }

  return {
    query,
    hits,
    searching,
    searchError,
    uuid,
    range,
    timeline,
    timelineError,
    notFound,
    risk,
    baseline,
    baselineState,
    baselineInfo,
    search,
    open,
    setRange,
  };
});
