/**
 * Alerts: the recent feed every screen shares (loaded at start-up, then fed by the stream) and
 * the Alerts screen's server-side page (filters, pagination), which live alerts join when they
 * match its filter and it shows page 1.
 *
 * No row is lost or doubled between the REST load and the stream: rows are merged by id, and
 * alerts streamed while a page request is in flight are merged into its answer.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { listAlerts, type AlertQuery } from '../api/alerts';
import { isAbort } from '../api/client';
import type { Alert, Verdict } from '../api/types';
import { matchesFilter, mergeAlerts, topRiskEntities, type AlertFilter } from '../lib/alert-list';
import { isoHoursAgo } from '../lib/time';

/** Alerts kept in the shared feed. */
export const MAX_RECENT = 500;
const WARM_UP_LIMIT = 200;

export const useAlertsStore = defineStore('alerts', () => {
  const recent = shallowRef<Alert[]>([]);
  const loaded = ref(false);
  const error = ref('');

  const filter = ref<AlertFilter>({});
  const page = ref(1);
  const limit = ref(50);
  const rows = shallowRef<Alert[]>([]);
  const total = ref(0);
  const rowsLoading = ref(false);
  const rowsError = ref('');
  let inFlight: { controller: AbortController; streamed: Alert[] } | undefined;

  const unreviewed = computed(() => recent.value.filter((a) => !a.feedback).length);
  const topEntities = computed(() => topRiskEntities(recent.value));

  /** Load the newest alerts into the shared feed (start-up, and after a reconnect). */
  async function warm(): Promise<void> {
    try {
      const answer = await listAlerts({ limit: WARM_UP_LIMIT });
      recent.value = mergeAlerts(recent.value, answer.items, MAX_RECENT);
      loaded.value = true;
      error.value = '';
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  /** After a reconnect: fetch what the stream missed while it was down. */
  async function resync(): Promise<void> {
    if (!loaded.value) return;
    await warm();
    if (inFlight === undefined && rows.value.length + total.value > 0) await loadPage();
  }

  function toQuery(): AlertQuery {
    const f = filter.value;
    return {
      type: f.type,
      severity: f.severity,
      entity: f.entity || undefined,
      tactic: f.tactic || undefined,
      technique: f.technique || undefined,
      since: f.hours === undefined ? undefined : isoHoursAgo(f.hours),
      page: page.value,
      limit: limit.value,
    };
  }

  /** Live alerts (from the stream): into the feed, and into page 1 when they match its filter. */
  function ingest(alerts: readonly Alert[]): void {
    recent.value = mergeAlerts(recent.value, alerts, MAX_RECENT);
    const now = Date.now();
    const matching = alerts.filter((alert) => matchesFilter(alert, filter.value, now));
    if (matching.length === 0) return;
    inFlight?.streamed.push(...matching);
    if (page.value !== 1) return;
    const known = new Set(rows.value.map((a) => a.alert_id));
    total.value += matching.filter((a) => !known.has(a.alert_id)).length;
    rows.value = mergeAlerts(rows.value, matching, limit.value);
  }

  async function loadPage(): Promise<void> {
    inFlight?.controller.abort();
    const request = { controller: new AbortController(), streamed: [] as Alert[] };
    inFlight = request;
    rowsLoading.value = true;
    try {
      const answer = await listAlerts(toQuery(), request.controller.signal);
      const fresh = request.streamed.filter((a) => !answer.items.some((b) => b.alert_id === a.alert_id));
      rows.value = page.value === 1 ? mergeAlerts(answer.items, request.streamed, limit.value) : answer.items;
      total.value = answer.meta.total + (page.value === 1 ? fresh.length : 0);
      rowsError.value = '';
    } catch (e) {
      if (!isAbort(e)) rowsError.value = (e as Error).message;
    } finally {
      if (inFlight === request) {
        inFlight = undefined;
        rowsLoading.value = false;
      }
    }
  }

  /** Change the filter (page back to 1) and reload. */
  function setFilter(next: AlertFilter): Promise<void> {
    filter.value = { ...next };
    page.value = 1;
    return loadPage();
  }

  function setPage(next: number): Promise<void> {
    page.value = Math.max(1, next);
    return loadPage();
  }

  /** A verdict was recorded (or rolled back): show it wherever the alert is listed. */
  function applyVerdict(alertId: string, verdict: Verdict | null): void {
    const patch = (list: Alert[]) => list.map((a) => (a.alert_id === alertId ? { ...a, feedback: verdict } : a));
    recent.value = patch(recent.value);
    rows.value = patch(rows.value);
  }

  function reset(): void {
    inFlight?.controller.abort();
    inFlight = undefined;
    recent.value = [];
    rows.value = [];
    total.value = 0;
    loaded.value = false;
    filter.value = {};
    page.value = 1;
  }

  return {
    recent,
    loaded,
    error,
    filter,
    page,
    limit,
    rows,
    total,
    rowsLoading,
    rowsError,
    unreviewed,
    topEntities,
    warm,
    resync,
    ingest,
    loadPage,
    setFilter,
    setPage,
    applyVerdict,
    reset,
  };
});
