/** `GET /attack/coverage`: the ATT&CK matrix with per-technique alert counts over a window (default 30 days). */
import type { Plugin } from '@hapi/hapi';
import Joi from 'joi';
import { isoNs } from '../params.js';
import '../security/families.js';
import { buildCoverage } from './coverage.js';

const DEFAULT_WINDOW_NS = 30n * 86_400_000_000_000n;

const toIso = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString();

export const attackApiPlugin: Plugin<void> = {
  name: 'api-attack',
  version: '1.0.0',
  register(server) {
    const { clock, alertStore: alerts } = server.seerflow;

    server.route({
      method: 'GET',
      path: '/attack/coverage',
      options: {
        plugins: { rateLimit: 'coverage' },
        validate: {
          // `until` first, so that `since` can default to and be checked against it.
          query: Joi.object({
            until: isoNs.default(() => clock()),
            since: isoNs
              .default((parent: { until: bigint }) => parent.until - DEFAULT_WINDOW_NS)
              .custom((value: bigint, helpers) =>
                value <= (helpers.state.ancestors[0] as { until: bigint }).until ? value : helpers.error('any.invalid'),
              )
              .messages({ 'any.invalid': '{{#label}} must not be after until' }),
          }),
        },
      },
      async handler(request) {
        const { since, until } = request.query as { since: bigint; until: bigint };
        // The rule side: enabled Sigma rules and their ATT&CK tags (none when Sigma is off).
        const sigma = server.plugins['detector-sigma']?.service;
        const rules = (sigma?.list() ?? [])
          .filter((summary) => summary.enabled)
          .map((summary) => ({ name: summary.rule.title, tactics: summary.tactics, techniques: summary.techniques }));
        const coverage = buildCoverage(await alerts.attackCounts(since, until), rules);
        return { window_since: toIso(since), window_until: toIso(until), ...coverage };
      },
    });
  },
};
