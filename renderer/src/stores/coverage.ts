/**
 * ATT&CK coverage: the matrix over a window, and the drill-down to one technique's alerts. A
 * drill-down answer paints only if it is still the latest one asked for (stale responses are
 * aborted and ignored), and answers are cached per technique and window (50, oldest dropped).
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { listAlerts } from '../api/alerts';
import { attackCoverage } from '../api/system';
import type { Alert, Coverage, CoverageCell } from '../api/types';
import { isoHoursAgo } from '../lib/time';

const CACHE_SIZE = 50;

export const useCoverageStore = defineStore('coverage', () => {
  const days = ref(30);
  const data = shallowRef<Coverage | null>(null);
  const loading = ref(false);
  const error = ref('');
  const cell = shallowRef<CoverageCell | null>(null);
  const cellAlerts = shallowRef<Alert[]>([]);
  const cellLoading = ref(false);
  const cellError = ref('');
  const cache = new Map<string, Alert[]>();
  let cellController: AbortController | undefined;

  async function load(nextDays = days.value): Promise<void> {
    days.value = nextDays;
    loading.value = true;
    try {
      data.value = await attackCoverage(isoHoursAgo(nextDays * 24));
      error.value = '';
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      loading.value = false;
    }
  }

  async function drill(next: CoverageCell | null): Promise<void> {
    cellController?.abort();
    cell.value = next;
    cellAlerts.value = [];
    cellError.value = '';
    if (!next) return;
    const key = `${next.tactic}|${next.technique}|${days.value}`;
    const cached = cache.get(key);
    if (cached) {
      cellAlerts.value = cached;
      return;
    }
    const controller = (cellController = new AbortController());
    cellLoading.value = true;
    try {
      const page = await listAlerts(
        { tactic: next.tactic, technique: next.technique, since: isoHoursAgo(days.value * 24), limit: 20 },
        controller.signal,
      );
      if (controller.signal.aborted) return;
      cache.set(key, page.items);
      if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cellAlerts.value = page.items;
    } catch (e) {
      if (!controller.signal.aborted) cellError.value = (e as Error).message;
    } finally {
      if (cellController === controller) cellLoading.value = false;
    }
  }

  return { days, data, loading, error, cell, cellAlerts, cellLoading, cellError, load, drill };
});
