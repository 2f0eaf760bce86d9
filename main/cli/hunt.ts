/**
 * `seerflow hunt "QUESTION" [--limit N] [--json]`: a natural-language hunt on the running
 * appliance (`POST /hunt`). Prints how the question was read (entity lookup or the model's
 * filter), then the matching events and alerts. Exit 0 when something matched, 1 when nothing
 * did; 503 (LLM not ready) and other API errors exit 2 with the reason.
 */
import { ApiError, type ApiClient } from './api-client.js';
import { nsToIso, table } from './output.js';

interface HuntAnswer {
  statusCode?: number;
  message?: string;
  mode: 'entity' | 'model';
  filters: Record<string, unknown>;
  rejected: Array<{ field: string; reason: string }>;
  entity: { entity_type: string | null; entity_value: string } | null;
  events: Array<Record<string, unknown>>;
  total: number;
  alerts: Array<Record<string, unknown>>;
  total_alerts: number;
  model: string | null;
  latency_ms: number;
  cached: boolean;
}

export async function huntCommand(api: ApiClient, question: string, options: { limit: string; json?: boolean }): Promise<number> {
  const answer = (await api.post<HuntAnswer>('/hunt', { query: question }))!;
  // The API client lets 503 through (for `status`): here it is an error like any other.
  if (answer.statusCode === 503) throw new ApiError(`hunt: ${answer.message ?? 'the LLM is not ready'}`, 503);
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new ApiError(`hunt: --limit must be a positive integer, not "${options.limit}"`, 0);
  const found = answer.total + answer.total_alerts;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...answer, events: answer.events.slice(0, limit), alerts: answer.alerts.slice(0, limit) })}\n`);
    return found > 0 ? 0 : 1;
  }
  const how =
    answer.mode === 'entity'
      ? `entity lookup: ${answer.entity?.entity_type ?? 'entity'} ${answer.entity?.entity_value ?? ''} (no model)`
      : `model ${answer.model ?? ''}${answer.cached ? ' (cached translation)' : ''}, ${answer.latency_ms} ms`;
  const filters = Object.entries(answer.filters)
    .filter(([key, value]) => value !== null && !(Array.isArray(value) && value.length === 0) && !key.endsWith('_ns'))
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : String(value)}`);
  const lines = [`${how}`, `filter: ${filters.join(' ')}`];
  for (const r of answer.rejected) lines.push(`ignored ${r.field}: ${r.reason}`);
  lines.push('', `events: ${answer.total}`);
  if (answer.events.length > 0) {
    const rows = answer.events.slice(0, limit).map((e) => ({ time: nsToIso(e.timestamp_ns as string), source: e.source_type, message: e.message }));
    lines.push(table(rows, ['time', 'source', 'message']));
  }
  lines.push('', `alerts: ${answer.total_alerts}`);
  if (answer.alerts.length > 0) {
    const rows = answer.alerts.slice(0, limit).map((a) => ({ time: nsToIso(a.timestamp_ns as string), type: a.alert_type, rule: a.rule_name, entity: a.entity_value }));
    lines.push(table(rows, ['time', 'type', 'rule', 'entity']));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return found > 0 ? 0 : 1;
}
