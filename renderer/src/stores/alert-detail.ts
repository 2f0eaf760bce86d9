/**
 * One alert as the detail screen shows it: the alert with its contributing events, its verdict
 * history, the TP/FP verdict (optimistic, rolled back on failure), and the AI explanation.
 *
 * Explanation states: `idle` (none cached yet), `loading`, `ready`, `off` (503: the model is
 * disabled or not loaded), `failed` (502 or another error; the message says why).
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { cachedExplanation, explainAlert, getAlert, listFeedback, submitFeedback } from '../api/alerts';
import { ApiError } from '../api/client';
import type { AlertDetail, Explanation, FeedbackEntry, Verdict } from '../api/types';
import { useAlertsStore } from './alerts';
import { useToastsStore } from './toasts';

export type ExplanationState = 'idle' | 'loading' | 'ready' | 'off' | 'failed';

export const useAlertDetailStore = defineStore('alert-detail', () => {
  const alert = shallowRef<AlertDetail | null>(null);
  const loading = ref(false);
  const notFound = ref(false);
  const error = ref('');
  const history = shallowRef<FeedbackEntry[]>([]);
  const historyTotal = ref(0);
  const verdictPending = ref(false);
  const explanation = shallowRef<Explanation | null>(null);
  const explanationState = ref<ExplanationState>('idle');
  const explanationMessage = ref('');
  let current = '';

  async function load(id: string): Promise<void> {
    current = id;
    loading.value = true;
    notFound.value = false;
    error.value = '';
    alert.value = null;
    history.value = [];
    explanation.value = null;
    explanationState.value = 'idle';
    try {
      const detail = await getAlert(id);
      if (current !== id) return;
      alert.value = detail;
      await Promise.all([loadHistory(id), loadCachedExplanation(id)]);
    } catch (e) {
      if (current !== id) return;
      if (e instanceof ApiError && e.status === 404) notFound.value = true;
      else error.value = (e as Error).message;
    } finally {
      if (current === id) loading.value = false;
    }
  }

  async function loadHistory(id: string): Promise<void> {
    const page = await listFeedback(id);
    if (current !== id) return;
    history.value = page.items;
    historyTotal.value = page.meta.total;
  }

  function explanationFailed(e: unknown): void {
    const status = e instanceof ApiError ? e.status : 0;
    explanationState.value = status === 503 ? 'off' : 'failed';
    explanationMessage.value = (e as Error).message;
  }

  async function loadCachedExplanation(id: string): Promise<void> {
    try {
      const cached = await cachedExplanation(id);
      if (current !== id) return;
      explanation.value = cached;
      explanationState.value = 'ready';
    } catch (e) {
      if (current !== id) return;
      // 404 = nothing cached yet: offer to generate. 503 = the model is off.
      if (e instanceof ApiError && e.status === 404) explanationState.value = 'idle';
      else explanationFailed(e);
    }
  }

  async function explain(): Promise<void> {
    const id = current;
    explanationState.value = 'loading';
    try {
      const answer = await explainAlert(id);
      if (current !== id) return;
      explanation.value = answer;
      explanationState.value = 'ready';
    } catch (e) {
      if (current === id) explanationFailed(e);
    }
  }

  /** Record a verdict: shown at once, rolled back (with a message) if the server refuses it. */
  async function setVerdict(verdict: Verdict, note: string): Promise<boolean> {
    const before = alert.value;
    if (!before || verdictPending.value) return false;
    const toasts = useToastsStore();
    const alerts = useAlertsStore();
    alert.value = { ...before, feedback: verdict };
    alerts.applyVerdict(before.alert_id, verdict);
    verdictPending.value = true;
    try {
      await submitFeedback(before.alert_id, verdict, note);
      toasts.success(`Marked as ${verdict === 'tp' ? 'true positive' : 'false positive'}`);
      await loadHistory(before.alert_id);
      return true;
    } catch (e) {
      if (current === before.alert_id) alert.value = before;
      alerts.applyVerdict(before.alert_id, before.feedback);
      toasts.reportError(e instanceof ApiError && e.status === 404 ? 'Alert no longer exists' : 'Feedback failed', e);
      return false;
    } finally {
      verdictPending.value = false;
    }
  }

  return {
    alert,
    loading,
    notFound,
    error,
    history,
    historyTotal,
    verdictPending,
    explanation,
    explanationState,
    explanationMessage,
    load,
    explain,
    setVerdict,
  };
});
