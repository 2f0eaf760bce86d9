/**
 * Hunt: a question (`POST /hunt`), the structured filter behind the answer (the model's, or the
 * entity lookup's when the question names an IP, host, user or UUID: the server answers those
 * without the model), the matching events and alerts, and the filter edited and re-run as plain
 * event and alert searches, which work whether or not a model is loaded.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { listAlerts } from '../api/alerts';
import { ApiError } from '../api/client';
import { searchEvents } from '../api/events';
import { hunt } from '../api/system';
import type { Alert, HuntFilters, HuntResult, LiveEvent } from '../api/types';

export type HuntState = 'idle' | 'running' | 'ready' | 'off' | 'failed';

export const useHuntStore = defineStore('hunt', () => {
  const question = ref('');
  const state = ref<HuntState>('idle');
  const message = ref('');
  const answer = shallowRef<HuntResult | null>(null);
  const filters = ref<HuntFilters>({});
  const events = shallowRef<LiveEvent[]>([]);
  const total = ref(0);
  const alerts = shallowRef<Alert[]>([]);
  const totalAlerts = ref(0);

  async function ask(text: string): Promise<void> {
    question.value = text;
    state.value = 'running';
    message.value = '';
    try {
      const result = await hunt(text);
      answer.value = result;
      filters.value = { ...result.filters };
      events.value = result.events;
      total.value = result.total;
      alerts.value = result.alerts;
      totalAlerts.value = result.total_alerts;
      state.value = 'ready';
    } catch (e) {
      answer.value = null;
      state.value = e instanceof ApiError && e.isNotReady ? 'off' : 'failed';
      message.value = (e as Error).message;
    }
  }

  /** Run the (edited) filter as event and alert searches, without the model. */
  async function rerun(edited: HuntFilters): Promise<void> {
    filters.value = { ...edited };
    state.value = 'running';
    const window = { since: edited.since || undefined, until: edited.until || undefined };
    const entity = edited.entity || undefined;
    try {
      const [eventPage, alertPage] = await Promise.all([
        searchEvents({ ...window, q: edited.text || undefined, source: edited.source || undefined, severity: edited.severity_min ?? undefined, entity, limit: 200 }),
        listAlerts({
          ...window,
          entity,
          severity: edited.severity_min ?? undefined,
          tactic: edited.tactic || undefined,
          type: edited.alert_types?.length === 1 ? edited.alert_types[0] : undefined,
          limit: 50,
        }),
      ]);
      events.value = eventPage.items;
      total.value = eventPage.meta.total;
      alerts.value = alertPage.items;
      totalAlerts.value = alertPage.meta.total;
      state.value = 'ready';
    } catch (e) {
      state.value = 'failed';
      message.value = (e as Error).message;
    }
  }

  return { question, state, message, answer, filters, events, total, alerts, totalAlerts, ask, rerun };
});
