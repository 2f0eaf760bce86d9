/** System and overview routes: stats, health, running config, anomaly timeline, ATT&CK coverage, hunt, demo. */
import { get, post, request } from './client';
import type { AnomalyTimeline, Coverage, DemoStatus, Health, HuntResult, Range, Resolution, RunningConfig, Stats } from './types';

export const getStats = () => get<Stats>('/stats');
export const getConfig = () => get<RunningConfig>('/config');
/** `/health` answers 503 with the same body when a component is degraded: both are a report. */
export const getHealth = () => request<Health>('GET', '/health', { accept: [503] });
export const anomalyTimeline = (range: Range, resolution: Resolution, signal?: AbortSignal) =>
  get<AnomalyTimeline>('/anomaly/timeline', { range, resolution }, signal);
export const attackCoverage = (since?: string, signal?: AbortSignal) => get<Coverage>('/attack/coverage', { since }, signal);
export const hunt = (query: string) => post<HuntResult>('/hunt', { query });
export const demoStatus = () => get<DemoStatus>('/demo');
export const startDemo = () => post<{ status: string; total: number }>('/demo');
