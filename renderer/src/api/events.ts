/** `GET /events`: server-side event search. */
import { get } from './client';
import type { LiveEvent, Page } from './types';

export interface EventQuery {
  q?: string;
  source?: string;
  severity?: number;
  template_id?: number;
  entity?: string;
  since?: string;
  until?: string;
  page?: number;
  limit?: number;
}

export const searchEvents = (query: EventQuery, signal?: AbortSignal) => get<Page<LiveEvent>>('/events', { ...query }, signal);
