import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuleSummary } from '../api/types';
import { FakeApi } from '../testing/fake-api';
import { useRulesStore } from './rules';

let api: FakeApi;
const rule = (id: string, title: string, enabled: boolean, alerts = 0): RuleSummary => ({
  rule_id: id,
  title,
  description: '',
  level: 'medium',
  severity: 3,
  logsource_key: ['linux', '', 'auth'],
  attack_tactics: ['privilege_escalation'],
  attack_techniques: ['T1548'],
  enabled,
  source: 'bundled',
  match_count_lifetime: alerts,
  last_fired_ns: null,
  alert_count_24h: alerts,
});

beforeEach(() => {
  setActivePinia(createPinia());
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  api = new FakeApi().on('GET /sigma/rules', {
    status: 200,
    body: { items: [rule('r1', 'su to root', true, 2), rule('r2', 'useradd', false)], meta: { total: 2, page: 1, limit: 500 } },
  });
  vi.stubGlobal('fetch', api.fetch);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('rules store', () => {
  it('loads with the server-side search and counts the chips', async () => {
    const store = useRulesStore();
    await store.load({ search: 'root' });
    expect(api.calls('GET /sigma/rules')[0]!.query.get('search')).toBe('root');
    expect(store.counts).toEqual({ all: 2, enabled: 1, disabled: 1, firing: 1 });
    store.chip = 'disabled';
    expect(store.shown.map((r) => r.rule_id)).toEqual(['r2']);
  });

  it('says the engine is not ready on 503', async () => {
    api.on('GET /sigma/rules', { status: 503, body: { message: 'sigma is not ready (loading)', detail: 'sigma_not_ready' } });
    const store = useRulesStore();
    await store.load();
    expect([store.notReady, store.items]).toEqual([true, []]);
  });

  it('toggles optimistically and keeps what the server stored', async () => {
    api.on('PATCH /sigma/rules/r1', (request) => ({ status: 200, body: { ...rule('r1', 'su to root', (request.body as { enabled: boolean }).enabled), yaml_source: '' } }));
    const store = useRulesStore();
    await store.load();
    const done = store.toggle('r1', false);
    expect(store.items[0]!.enabled).toBe(false);
    await done;
    expect(api.calls('PATCH /sigma/rules/r1')[0]!.body).toEqual({ enabled: false });
    expect(store.items[0]!.enabled).toBe(false);
  });

  it('rolls a refused toggle back', async () => {
    api.on('PATCH /sigma/rules/r1', { status: 500, body: { message: 'boom' } });
    const store = useRulesStore();
    await store.load();
    await store.toggle('r1', false);
    expect(store.items[0]!.enabled).toBe(true);
  });

  it('reports where a rule is invalid: stage, line and column', async () => {
    api.on('POST /sigma/rules', (request) =>
      (request.body as { dry_run: boolean }).dry_run
        ? { status: 200, body: { valid: false, stage: 'yaml', message: 'bad indentation', line: 4, column: 2 } }
        : { status: 422, body: { message: '[schema] (3, 1) missing detection', detail: '[schema] (3, 1) missing detection', stage: 'schema', line: 3, column: 1 } },
    );
    const store = useRulesStore();
    expect(await store.validate('title: x')).toEqual({ valid: false, stage: 'yaml', message: 'bad indentation', line: 4, column: 2 });
    expect(await store.save('title: x')).toBeNull();
    expect(store.validation).toMatchObject({ valid: false, stage: 'schema', line: 3, column: 1, httpStatus: 422 });
  });

  it('marks a rule id that is taken (409) as a collision', async () => {
    api.on('POST /sigma/rules', { status: 409, body: { message: 'a rule with id r1 is already loaded', collision: true } });
    const store = useRulesStore();
    expect(await store.validate('id: r1')).toMatchObject({ valid: false, stage: 'collision', httpStatus: 409 });
  });
});
