/**
 * Sigma rules: the list (server-side search and filters, client-side counts over it), the enable
 * toggle (optimistic, persisted by the server, rolled back on failure), the selected rule's
 * detail and 24 h timeline (a newer selection aborts the older requests), the editor's
 * validate/save, and the LLM's rule suggestions.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { ApiError, isAbort } from '../api/client';
import {
  draftSuggestion,
  dropSuggestion,
  getRule,
  listRules,
  listSuggestions,
  ruleTimeline,
  setRuleEnabled,
  uploadRule,
  validateRule,
  type RuleQuery,
} from '../api/sigma';
import type { RuleDetail, RuleSuggestion, RuleSuggestionPattern, RuleSummary, RuleTimeline, RuleValidation } from '../api/types';
import { useToastsStore } from './toasts';

export type RuleChip = 'all' | 'enabled' | 'disabled' | 'firing';
/** Validation errors as the editor marks them; `line`/`column` are 1-based. */
export type ValidationView = RuleValidation & { httpStatus?: number };

/** A refused validation or upload, with the stage/line/column the server sent (422 bodies carry them). */
function failedValidation(e: unknown, fallbackStage: string): ValidationView {
  const body = e instanceof ApiError ? e.body : {};
  return {
    valid: false,
    stage: typeof body.stage === 'string' ? body.stage : fallbackStage,
    message: (e as Error).message,
    line: typeof body.line === 'number' ? body.line : undefined,
    column: typeof body.column === 'number' ? body.column : undefined,
    httpStatus: e instanceof ApiError ? e.status : 0,
  };
}

export const useRulesStore = defineStore('rules', () => {
  const items = shallowRef<RuleSummary[]>([]);
  const total = ref(0);
  const query = ref<RuleQuery>({});
  const chip = ref<RuleChip>('all');
  const loading = ref(false);
  const error = ref('');
  const notReady = ref(false);

  const selected = shallowRef<RuleDetail | null>(null);
  const timeline = shallowRef<RuleTimeline | null>(null);
  const detailError = ref('');
  let detailController: AbortController | undefined;
  let listController: AbortController | undefined;

  const validation = shallowRef<ValidationView | null>(null);
  const saving = ref(false);

  const suggestions = shallowRef<RuleSuggestionPattern[]>([]);
  const suggestionsState = ref<'idle' | 'ready' | 'off' | 'failed'>('idle');
  const suggestionsMessage = ref('');
  const draft = shallowRef<RuleSuggestion | null>(null);

  const counts = computed(() => ({
    all: items.value.length,
    enabled: items.value.filter((r) => r.enabled).length,
    disabled: items.value.filter((r) => !r.enabled).length,
    firing: items.value.filter((r) => r.alert_count_24h > 0).length,
  }));
  const shown = computed(() => {
    switch (chip.value) {
      case 'enabled':
        return items.value.filter((r) => r.enabled);
      case 'disabled':
        return items.value.filter((r) => !r.enabled);
      case 'firing':
        return items.value.filter((r) => r.alert_count_24h > 0);
      default:
        return items.value;
    }
  });

  async function load(next: RuleQuery = query.value): Promise<void> {
    query.value = { ...next };
    listController?.abort();
    const controller = (listController = new AbortController());
    loading.value = true;
    try {
      const page = await listRules({ ...next, limit: 500 }, controller.signal);
      items.value = page.items;
      total.value = page.meta.total;
      error.value = '';
      notReady.value = false;
    } catch (e) {
      if (isAbort(e)) return;
      error.value = (e as Error).message;
      notReady.value = e instanceof ApiError && e.isNotReady;
    } finally {
      if (listController === controller) loading.value = false;
    }
  }

  function patchRule(ruleId: string, enabled: boolean): void {
    items.value = items.value.map((r) => (r.rule_id === ruleId ? { ...r, enabled } : r));
    if (selected.value?.rule_id === ruleId) selected.value = { ...selected.value, enabled };
  }

  async function toggle(ruleId: string, enabled: boolean): Promise<void> {
    patchRule(ruleId, enabled);
    try {
      const detail = await setRuleEnabled(ruleId, enabled);
      patchRule(ruleId, detail.enabled);
    } catch (e) {
      patchRule(ruleId, !enabled);
      useToastsStore().reportError(`Could not ${enabled ? 'enable' : 'disable'} the rule`, e);
    }
  }

  async function select(ruleId: string | null): Promise<void> {
    detailController?.abort();
    selected.value = null;
    timeline.value = null;
    detailError.value = '';
    if (!ruleId) return;
    const controller = (detailController = new AbortController());
    try {
      const [detail, hourly] = await Promise.all([getRule(ruleId, controller.signal), ruleTimeline(ruleId, controller.signal)]);
      selected.value = detail;
      timeline.value = hourly;
    } catch (e) {
      if (!isAbort(e)) detailError.value = `Failed to load rule: ${(e as Error).message}`;
    }
  }

  async function validate(yaml: string): Promise<ValidationView> {
    try {
      validation.value = await validateRule(yaml);
    } catch (e) {
      validation.value = failedValidation(e, e instanceof ApiError && e.status === 409 ? 'collision' : 'request');
    }
    return validation.value;
  }

  /** Store the rule; on success the list reloads and the new rule is returned. */
  async function save(yaml: string): Promise<RuleDetail | null> {
    saving.value = true;
    try {
      const detail = await uploadRule(yaml);
      useToastsStore().success(`Rule uploaded: ${detail.title}`);
      validation.value = null;
      await load();
      return detail;
    } catch (e) {
      validation.value = failedValidation(e, 'upload');
      return null;
    } finally {
      saving.value = false;
    }
  }

  function clearValidation(): void {
    validation.value = null;
  }

  async function loadSuggestions(): Promise<void> {
    try {
      suggestions.value = (await listSuggestions()).items;
      suggestionsState.value = 'ready';
    } catch (e) {
      suggestionsState.value = e instanceof ApiError && e.isNotReady ? 'off' : 'failed';
      suggestionsMessage.value = (e as Error).message;
    }
  }

  async function draftFor(patternKey: string): Promise<RuleSuggestion | null> {
    try {
      draft.value = await draftSuggestion(patternKey);
      return draft.value;
    } catch (e) {
      useToastsStore().reportError('Drafting the rule failed', e);
      return null;
    }
  }

  /** The draft was saved as a rule (or dismissed): drop the cached suggestion. */
  async function discardSuggestion(patternKey: string): Promise<void> {
    draft.value = null;
    try {
      await dropSuggestion(patternKey);
    } catch {
      // Only a cache: the server drops it on its own TTL.
    }
    await loadSuggestions();
  }

  return {
    items,
    total,
    query,
    chip,
    loading,
    error,
    notReady,
    counts,
    shown,
    selected,
    timeline,
    detailError,
    validation,
    saving,
    suggestions,
    suggestionsState,
    suggestionsMessage,
    draft,
    load,
    toggle,
    select,
    validate,
    save,
    clearValidation,
    loadSuggestions,
    draftFor,
    discardSuggestion,
  };
});
