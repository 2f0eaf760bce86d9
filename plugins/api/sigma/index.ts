/**
 * The contract's Sigma routes, validated in full. Rule routes answer 503 `sigma_not_ready` until
 * the Sigma engine exists (issue 4); rule suggestions need the LLM and answer 503
 * `llm_not_ready` until it exists (issue 7). Validation (422) runs first either way.
 */
import type { Plugin, RouteOptionsValidate } from '@hapi/hapi';
import type { RateFamily } from '../security/families.js';
import { notReady } from '../not-ready.js';
import {
  patternParams,
  ruleListQuery,
  rulePatchPayload,
  ruleParams,
  ruleTimelineQuery,
  ruleUploadPayload,
  ruleUploadQuery,
  suggestionListQuery,
} from './schemas.js';

interface PendingRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  rateLimit: RateFamily;
  validate: RouteOptionsValidate;
  engine: 'sigma' | 'llm';
}

const ROUTES: PendingRoute[] = [
  { method: 'GET', path: '/sigma/rules', rateLimit: 'list', validate: { query: ruleListQuery }, engine: 'sigma' },
  {
    method: 'POST',
    path: '/sigma/rules',
    rateLimit: 'upload',
    validate: { payload: ruleUploadPayload, query: ruleUploadQuery },
    engine: 'sigma',
  },
  { method: 'GET', path: '/sigma/rules/{rule_id}', rateLimit: 'list', validate: { params: ruleParams }, engine: 'sigma' },
  {
    method: 'PATCH',
    path: '/sigma/rules/{rule_id}',
    rateLimit: 'list',
    validate: { params: ruleParams, payload: rulePatchPayload },
    engine: 'sigma',
  },
  {
    method: 'GET',
    path: '/sigma/rules/{rule_id}/timeline',
    rateLimit: 'list',
    validate: { params: ruleParams, query: ruleTimelineQuery },
    engine: 'sigma',
  },
  { method: 'GET', path: '/sigma/rule-suggestions', rateLimit: 'list', validate: { query: suggestionListQuery }, engine: 'llm' },
  {
    method: 'POST',
    path: '/sigma/rule-suggestions/{pattern_key}',
    rateLimit: 'detail',
    validate: { params: patternParams },
    engine: 'llm',
  },
  {
    method: 'DELETE',
    path: '/sigma/rule-suggestions/{pattern_key}',
    rateLimit: 'detail',
    validate: { params: patternParams },
    engine: 'llm',
  },
];

export const sigmaApiPlugin: Plugin<void> = {
  name: 'api-sigma',
  version: '1.0.0',
  register(server) {
    for (const route of ROUTES) {
      server.route({
        method: route.method,
        path: route.path,
        options: { plugins: { rateLimit: route.rateLimit }, validate: route.validate },
        handler() {
          throw route.engine === 'sigma' ? notReady('sigma') : notReady('llm', 'disabled');
        },
      });
    }
  },
};
