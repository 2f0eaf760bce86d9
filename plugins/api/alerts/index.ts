/**
 * The contract's alert routes: search, detail with contributing events, TP/FP feedback and its
 * audit log, and the LLM explanation routes (the `llm` plugin's `Explanations`).
 */
import Boom from '@hapi/boom';
import type { Plugin, PluginProperties, Request } from '@hapi/hapi';
import { alertToJson } from '../../../main/core/alert.js';
import { answerLlm, notFoundDetail } from '../../llm/http-errors.js';
import { notReady } from '../not-ready.js';
import { pageEnvelope, type PageQuery } from '../params.js';
import '../security/families.js';
import { alertDetail } from './detail.js';
import {
  alertIdParams,
  alertListQuery,
  feedbackListQuery,
  feedbackPayload,
  type AlertListQuery,
  type FeedbackPayload,
} from './schemas.js';

export const alertsApiPlugin: Plugin<void> = {
  name: 'api-alerts',
  version: '1.0.0',
  register(server) {
    const { events, clock, alertStore: alerts, verdicts } = server.seerflow;
    const existing = async (request: Request) => {
      const alert = await alerts.get(request.params.alert_id as string);
      if (!alert) throw Boom.notFound('Alert not found');
      return alert;
    };
    // 404 for an unknown alert comes first: the answer must not depend on the LLM's state.
    const explanations = () => {
      const service = (server.plugins as Partial<PluginProperties>).llm?.explanations;
      if (!service) throw notReady('llm', 'disabled');
      return service;
    };

    server.route([
      {
        method: 'GET',
        path: '/alerts',
        options: { plugins: { rateLimit: 'list' }, validate: { query: alertListQuery } },
        async handler(request) {
          const query = request.query as unknown as AlertListQuery;
          const page = await alerts.query({
            sinceNs: query.since,
            untilNs: query.until,
            type: query.type,
            severityMin: query.severity,
            entity: query.entity,
            tactic: query.tactic,
            technique: query.technique,
            page: query.page,
            limit: query.limit,
          });
          return pageEnvelope(page.items.map(alertToJson), page.total, query);
        },
      },
      {
        method: 'GET',
        path: '/alerts/{alert_id}',
        options: { plugins: { rateLimit: 'detail' }, validate: { params: alertIdParams } },
        handler: async (request) => alertDetail(await existing(request), events),
      },
      {
        method: 'POST',
        path: '/alerts/{alert_id}/feedback',
        options: { plugins: { rateLimit: 'detail' }, validate: { params: alertIdParams, payload: feedbackPayload } },
        async handler(request, h) {
          const { feedback, note, origin } = request.payload as FeedbackPayload;
          const alertId = request.params.alert_id as string;
          const recorded = await alerts.submitFeedback(alertId, feedback, note, origin, clock());
          if (!recorded) throw Boom.notFound('Alert not found');
          const alert = await alerts.get(alertId);
          if (alert) verdicts.publish({ alert, verdict: feedback, note, origin });
          return h.response().code(204);
        },
      },
      {
        method: 'GET',
        path: '/alerts/{alert_id}/feedback',
        options: { plugins: { rateLimit: 'detail' }, validate: { params: alertIdParams, query: feedbackListQuery } },
        async handler(request) {
          const alert = await existing(request);
          const query = request.query as unknown as PageQuery;
          const page = await alerts.listFeedback(alert.alertId, query.page, query.limit);
          const items = page.items.map((f) => ({
            id: f.id,
            feedback: f.feedback,
            note: f.note,
            origin: f.origin,
            submitted_at_ns: f.submittedAtNs.toString(),
          }));
          return pageEnvelope(items, page.total, query);
        },
      },
      {
        method: 'POST',
        path: '/alerts/{alert_id}/explain',
        options: { plugins: { rateLimit: 'detail' }, validate: { params: alertIdParams } },
        async handler(request) {
          const alert = await existing(request);
          return answerLlm(() => explanations().explain(alert));
        },
      },
      {
        method: 'GET',
        path: '/alerts/{alert_id}/explanation',
        options: { plugins: { rateLimit: 'detail' }, validate: { params: alertIdParams } },
        async handler(request) {
          const alert = await existing(request);
          const cached = await answerLlm(async () => explanations().cached(alert.alertId));
          if (!cached) throw notFoundDetail('no_cached_explanation', 'no cached explanation for this alert (POST …/explain makes one)');
          return cached;
        },
      },
    ]);
  },
};
