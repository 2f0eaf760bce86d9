/**
 * The appliance itself: `/stats` (polled), `/health`, the running config, and the pipeline
 * indicator that combines them with the stream's `status` frames.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { getConfig, getHealth, getStats } from '../api/system';
import type { Health, RunningConfig, Stats } from '../api/types';
import { describeReceivers } from '../lib/receivers';
import { useStreamStore } from './stream';

/** `/stats` is in the API's `list` rate family (60/min by default): poll well below it. */
export const STATS_POLL_MS = 10_000;
export const HEALTH_POLL_MS = 30_000;

export const useSystemStore = defineStore('system', () => {
  const stats = shallowRef<Stats | null>(null);
  const health = shallowRef<Health | null>(null);
  const config = shallowRef<RunningConfig | null>(null);
  const error = ref('');
  let timers: Array<ReturnType<typeof setInterval>> = [];

  const stream = useStreamStore();
  const online = computed(() => stream.state === 'open');
  /** Ingest rate: the stream's status frame when there is one, else `/stats`. */
  const eventsPerSecond = computed(() => stream.status?.events_ingested_per_sec ?? stats.value?.events_per_second ?? 0);
  const alerts24h = computed(() => stream.status?.alerts_24h ?? null);
  const isEmpty = computed(() => stats.value !== null && stats.value.events_stored === 0 && stats.value.events_processed === 0);
  const receivers = computed(() => describeReceivers(config.value, stats.value, typeof location === 'undefined' ? 'localhost' : location.hostname));

  async function loadStats(): Promise<void> {
    try {
      stats.value = await getStats();
      error.value = '';
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  async function loadHealth(): Promise<void> {
    try {
      health.value = await getHealth();
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  async function loadConfig(): Promise<void> {
    try {
      config.value = await getConfig();
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  /** Load everything once and keep stats and health fresh. */
  async function start(): Promise<void> {
    stop();
    timers = [setInterval(() => void loadStats(), STATS_POLL_MS), setInterval(() => void loadHealth(), HEALTH_POLL_MS)];
    await Promise.all([loadStats(), loadHealth(), loadConfig()]);
  }

  function stop(): void {
    for (const timer of timers) clearInterval(timer);
    timers = [];
  }

  return { stats, health, config, error, online, eventsPerSecond, alerts24h, isEmpty, receivers, loadStats, loadHealth, loadConfig, start, stop };
});
