/** The entity routes: search, cross-source timeline with related entities, risk history, UEBA baseline. */
import { get } from './client';
import type { Baseline, EntityHit, EntityTimeline, Range, RiskHistory } from './types';

export const searchEntities = (q: string, signal?: AbortSignal) => get<EntityHit[]>('/entities/search', { q: q.slice(0, 256) }, signal);
export const entityTimeline = (uuid: string, query: { start_ns?: string; end_ns?: string; limit?: number }, signal?: AbortSignal) =>
  get<EntityTimeline>(`/entities/${uuid}/timeline`, { ...query }, signal);
export const riskHistory = (uuid: string, range: Range, signal?: AbortSignal) =>
  get<RiskHistory>(`/entities/${uuid}/risk-history`, { range }, signal);
export const entityBaseline = (uuid: string, signal?: AbortSignal) => get<Baseline>(`/entities/${uuid}/baseline`, undefined, signal);
