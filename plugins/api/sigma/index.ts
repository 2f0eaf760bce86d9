/**
 * The contract's Sigma routes (reference §11.2), backed by the Sigma detector's `SigmaService`:
 * the rule list with filters and 24 h alert counts, one rule with its YAML, its hourly timeline,
 * enabling and disabling (persisted), and uploads. Without the detector (`detection.sigma_enabled`
 * off) they answer 503 `sigma_not_ready` (`disabled`). Rule suggestions are the `llm` plugin's
 * (503 `llm_not_ready` while it is not ready). Validation (422) runs first either way.
 */
import Boom from '@hapi/boom';
import type { Plugin, PluginProperties, Request } from '@hapi/hapi';
import type { SigmaService } from '../../detectors/sigma/service.js';
import { answerLlm, notFoundDetail } from '../../llm/http-errors.js';
import { notReady } from '../not-ready.js';
import { pageEnvelope, type PageQuery } from '../params.js';
import '../security/families.js';
import {
  patternParams,
  ruleListQuery,
  rulePatchPayload,
  ruleParams,
  ruleTimelineQuery,
  ruleUploadPayload,
  ruleUploadQuery,
  suggestionListQuery,
  type RuleListQuery,
  type RuleUploadPayload,
} from './schemas.js';
import { answerUpload } from './upload.js';
import { hourlyGrid, lastDayGrid, ruleDetailJson, ruleSummaryJson, selectRules, timelineJson } from './views.js';

export const sigmaApiPlugin: Plugin<void> = {
  name: 'api-sigma',
  version: '1.0.0',
  register(server) {
    const { clock, alertStore: alerts } = server.seerflow;
    // The detector exposes its service when it starts; absent when it is not registered at all.
    const sigma = (): SigmaService => {
      const service = (server.plugins as Partial<PluginProperties>)['detector-sigma']?.service;
      if (service) return service;
      throw notReady('sigma', 'detector-sigma' in server.registrations ? 'loading' : 'disabled');
    };
    const detail = async (service: SigmaService, ruleId: string) => {
      const summary = service.get(ruleId);
      if (!summary) return undefined;
      const counts = await alerts.countBySigmaRule(lastDayGrid(clock()), ruleId);
      return ruleDetailJson(summary, counts.get(ruleId)?.[0] ?? 0);
    };
    const existingDetail = async (request: Request) => {
      const found = await detail(sigma(), request.params.rule_id as string);
      if (!found) throw Boom.notFound('rule not found');
      return found;
    };
    const suggestions = () => {
      const service = (server.plugins as Partial<PluginProperties>).llm?.suggestions;
      if (!service) throw notReady('llm', 'disabled');
      return service;
    };

    server.route([
      {
        method: 'GET',
        path: '/sigma/rules',
        options: { plugins: { rateLimit: 'list' }, validate: { query: ruleListQuery } },
        async handler(request) {
          const query = request.query as unknown as RuleListQuery;
          const selected = selectRules(sigma().list(), query);
          const page = selected.slice((query.page - 1) * query.limit, query.page * query.limit);
          const counts = await alerts.countBySigmaRule(lastDayGrid(clock()));
          const items = page.map((summary) => ruleSummaryJson(summary, counts.get(summary.rule.id)?.[0] ?? 0));
          return pageEnvelope(items, selected.length, query);
        },
      },
      {
        method: 'POST',
        path: '/sigma/rules',
        options: { plugins: { rateLimit: 'upload' }, validate: { payload: ruleUploadPayload, query: ruleUploadQuery } },
        async handler(request, h) {
          const service = sigma();
          const { yaml, dry_run: dryRun } = request.payload as RuleUploadPayload;
          const inQuery = (request.query as { dry_run: boolean }).dry_run;
          return answerUpload(service, yaml, dryRun || inQuery, h, (ruleId) => detail(service, ruleId));
        },
      },
      {
        method: 'GET',
        path: '/sigma/rules/{rule_id}',
        options: { plugins: { rateLimit: 'list' }, validate: { params: ruleParams } },
        handler: existingDetail,
      },
      {
        method: 'PATCH',
        path: '/sigma/rules/{rule_id}',
        options: { plugins: { rateLimit: 'list' }, validate: { params: ruleParams, payload: rulePatchPayload } },
        async handler(request) {
          const { enabled } = request.payload as { enabled: boolean };
          if (!(await sigma().setEnabled(request.params.rule_id as string, enabled))) throw Boom.notFound('rule not found');
          return existingDetail(request);
        },
      },
      {
        method: 'GET',
        path: '/sigma/rules/{rule_id}/timeline',
        options: { plugins: { rateLimit: 'list' }, validate: { params: ruleParams, query: ruleTimelineQuery } },
        async handler(request) {
          const ruleId = request.params.rule_id as string;
          if (!sigma().get(ruleId)) throw Boom.notFound('rule not found');
          const grid = hourlyGrid(clock());
          return timelineJson(ruleId, grid, (await alerts.countBySigmaRule(grid, ruleId)).get(ruleId));
        },
      },
      {
        method: 'GET',
        path: '/sigma/rule-suggestions',
        options: { plugins: { rateLimit: 'list' }, validate: { query: suggestionListQuery } },
        async handler(request) {
          const query = request.query as unknown as PageQuery;
          const patterns = await answerLlm(() => suggestions().list());
          return pageEnvelope(patterns.slice((query.page - 1) * query.limit, query.page * query.limit), patterns.length, query);
        },
      },
      {
        method: 'POST',
        path: '/sigma/rule-suggestions/{pattern_key}',
        options: { plugins: { rateLimit: 'detail' }, validate: { params: patternParams } },
        async handler(request) {
          const key = request.params.pattern_key as string;
          const suggestion = await answerLlm(() => suggestions().suggest(key));
          if (!suggestion) throw notFoundDetail('pattern_not_eligible', `pattern ${key} has too few true positives for a suggestion`);
          return suggestion;
        },
      },
      {
        method: 'DELETE',
        path: '/sigma/rule-suggestions/{pattern_key}',
        options: { plugins: { rateLimit: 'detail' }, validate: { params: patternParams } },
        async handler(request, h) {
          await answerLlm(async () => suggestions().invalidate(request.params.pattern_key as string));
          return h.response().code(204);
        },
      },
    ]);
  },
};
