/** The Sigma routes: rules (list, detail, timeline, toggle, upload) and rule suggestions. */
import { del, get, patch, post } from './client';
import type { Page, RuleDetail, RuleSuggestion, RuleSuggestionPattern, RuleSummary, RuleTimeline, RuleValidation } from './types';

export interface RuleQuery {
  search?: string;
  enabled?: boolean;
  source?: string;
  severity_in?: number[];
  tactic?: string;
  page?: number;
  limit?: number;
}

const rule = (id: string) => `/sigma/rules/${encodeURIComponent(id)}`;

export const listRules = (query: RuleQuery, signal?: AbortSignal) => get<Page<RuleSummary>>('/sigma/rules', { ...query }, signal);
export const getRule = (id: string, signal?: AbortSignal) => get<RuleDetail>(rule(id), undefined, signal);
export const ruleTimeline = (id: string, signal?: AbortSignal) => get<RuleTimeline>(`${rule(id)}/timeline`, undefined, signal);
export const setRuleEnabled = (id: string, enabled: boolean) => patch<RuleDetail>(rule(id), { enabled });
/** Dry run: 200 with `{valid, stage, message, line, column}` whether valid or not. */
export const validateRule = (yaml: string) => post<RuleValidation>('/sigma/rules', { yaml, dry_run: true });
export const uploadRule = (yaml: string) => post<RuleDetail>('/sigma/rules', { yaml, dry_run: false });
export const listSuggestions = () => get<Page<RuleSuggestionPattern>>('/sigma/rule-suggestions');
export const draftSuggestion = (key: string) => post<RuleSuggestion>(`/sigma/rule-suggestions/${encodeURIComponent(key)}`);
export const dropSuggestion = (key: string) => del<void>(`/sigma/rule-suggestions/${encodeURIComponent(key)}`);
