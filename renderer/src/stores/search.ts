/**
 * The global search (Ctrl/⌘+K): entities (`/entities/search`), Sigma rules (`/sigma/rules?search`)
 * and alerts (the alerts of a matching entity from `/alerts?entity`, plus the loaded feed by rule
 * name, message or id). Each keystroke aborts the previous search.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { listAlerts } from '../api/alerts';
import { searchEntities } from '../api/entities';
import { listRules } from '../api/sigma';
import type { Alert, EntityHit, RuleSummary } from '../api/types';
import { mergeAlerts } from '../lib/alert-list';
import { useAlertsStore } from './alerts';

const PER_KIND = 8;

export const useSearchStore = defineStore('search', () => {
  const entities = shallowRef<EntityHit[]>([]);
  const rules = shallowRef<RuleSummary[]>([]);
  const alerts = shallowRef<Alert[]>([]);
  const searching = ref(false);
  let controller: AbortController | undefined;

  async function run(text: string): Promise<void> {
    controller?.abort();
    const q = text.trim();
    if (!q) {
      entities.value = [];
      rules.value = [];
      alerts.value = [];
      return;
    }
    const own = (controller = new AbortController());
    const needle = q.toLowerCase();
    const local = useAlertsStore().recent.filter(
      (a) => a.rule_name.toLowerCase().includes(needle) || a.message.toLowerCase().includes(needle) || a.alert_id === q,
    );
    searching.value = true;
    const [foundEntities, foundRules, byEntity] = await Promise.all([
      searchEntities(q, own.signal).catch(() => [] as EntityHit[]),
      listRules({ search: q, limit: PER_KIND }, own.signal)
        .then((page) => page.items)
        .catch(() => [] as RuleSummary[]),
      listAlerts({ entity: q, limit: PER_KIND }, own.signal)
        .then((page) => page.items)
        .catch(() => [] as Alert[]),
    ]);
    if (own.signal.aborted) return;
    entities.value = foundEntities.slice(0, PER_KIND);
    rules.value = foundRules;
    alerts.value = mergeAlerts(local, byEntity, PER_KIND);
    searching.value = false;
  }

  return { entities, rules, alerts, searching, run };
});
