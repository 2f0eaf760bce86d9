/** The alert routes: search, detail, TP/FP feedback and its history, the LLM explanation. */
import { get, post } from './client';
import type { Alert, AlertDetail, AlertType, Explanation, FeedbackEntry, Page, Verdict } from './types';

export interface AlertQuery {
  type?: AlertType;
  severity?: number;
  entity?: string;
  tactic?: string;
  technique?: string;
  since?: string;
  until?: string;
  page?: number;
  limit?: number;
}

export const listAlerts = (query: AlertQuery, signal?: AbortSignal) => get<Page<Alert>>('/alerts', { ...query }, signal);
export const getAlert = (id: string, signal?: AbortSignal) => get<AlertDetail>(`/alerts/${encodeURIComponent(id)}`, undefined, signal);
export const listFeedback = (id: string, limit = 20) =>
  get<Page<FeedbackEntry>>(`/alerts/${encodeURIComponent(id)}/feedback`, { limit });
export const submitFeedback = (id: string, feedback: Verdict, note: string) =>
  post<void>(`/alerts/${encodeURIComponent(id)}/feedback`, { feedback, note, origin: 'dashboard' });
/** Generate (or return the cached) explanation: 503 when the LLM is off, 502 when it failed. */
export const explainAlert = (id: string) => post<Explanation>(`/alerts/${encodeURIComponent(id)}/explain`);
/** The cached explanation only; never runs the model. */
export const cachedExplanation = (id: string) => get<Explanation>(`/alerts/${encodeURIComponent(id)}/explanation`);
