/**
 * Webhook sinks in the real appliance: Slack, Teams and generic JSON POSTed to a real local HTTP
 * server; the SSRF policy on private and reserved addresses; retries with backoff, drops after
 * the bounded attempts and on a full queue, all counted in `/stats` and `/health`; routing; the
 * bounded drain at stop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertingStats } from '../../plugins/alerting/dispatcher.js';
import { applianceFixture, eventually, type TestAppliance } from '../support/appliance.js';
import { makeAlert } from '../support/make-alert.js';
import { captureHttp, type HttpCapture } from './capture.js';

const start = applianceFixture();
const captures: HttpCapture[] = [];
afterEach(async () => {
  await Promise.all(captures.splice(0).map((capture) => capture.close()));
});

async function receiver(options: Parameters<typeof captureHttp>[0] = {}): Promise<HttpCapture> {
  const capture = await captureHttp(options);
  captures.push(capture);
  return capture;
}

const FAST = { attempts: 3, backoff_base_ms: 20, backoff_max_ms: 100, timeout_ms: 2000 };

function hook(capture: HttpCapture, extra: Record<string, unknown> = {}) {
  return { url: capture.url, format: 'json' as const, allow_private_addresses: true, ...extra };
}

async function stats(appliance: TestAppliance): Promise<AlertingStats> {
  return (await appliance.get<{ alerting: AlertingStats }>('/api/v1/stats')).body.alerting;
}

async function sinkStats(appliance: TestAppliance, name: string) {
  return (await stats(appliance)).sinks.find((sink) => sink.name === name)!;
}

describe('webhook sinks', () => {
  it('POSTs Slack, Teams and generic JSON messages with the configured headers, and keeps the URLs secret', async () => {
    const [slack, teams, json] = await Promise.all([receiver(), receiver(), receiver()]);
    const appliance = await start({
      api_rate_limit_enabled: false,
      alerting: {
        dashboard_url: 'http://127.0.0.1:8080',
        webhooks: [
          hook(slack, { name: 'slack', format: 'slack' }),
          hook(teams, { name: 'teams', format: 'teams' }),
          hook(json, { name: 'soar', headers: { Authorization: 'Bearer s3cret' } }),
        ],
      },
    });
    const alert = makeAlert({ severity: 5 });
    appliance.server.seerflow.alerts.publish(alert);
    await eventually(async () => slack.requests.length + teams.requests.length + json.requests.length === 3);

    for (const capture of [slack, teams, json]) {
      expect(capture.requests[0]).toMatchObject({ method: 'POST', path: '/hook/T0KEN', headers: { 'content-type': 'application/json' } });
    }
    const link = `http://127.0.0.1:8080/alerts/${alert.alertId}`;
    const slackBody = JSON.parse(slack.requests[0]!.body);
    expect(slackBody.blocks[0].text.text).toBe('🔴 [CRITICAL] SSH brute force');
    expect(slackBody.blocks.at(-1).elements[0].url).toBe(link);
    const teamsBody = JSON.parse(teams.requests[0]!.body);
    expect(teamsBody.attachments[0].content.actions[0].url).toBe(link);
    expect(json.requests[0]!.headers.authorization).toBe('Bearer s3cret');
    expect(JSON.parse(json.requests[0]!.body)).toMatchObject({ alert_id: alert.alertId, severity: 'CRITICAL', dashboard_url: link });

    // A request is recorded before its answer reaches the sink: wait for the answers too.
    await eventually(async () => (await stats(appliance)).sinks.every((s) => s.delivered === 1));
    expect((await stats(appliance)).sinks.map((s) => [s.name, s.type, s.formatter, s.delivered, s.dropped])).toEqual([
      ['slack', 'webhook', 'slack', 1, 0],
      ['teams', 'webhook', 'teams', 1, 0],
      ['soar', 'webhook', 'json', 1, 0],
    ]);
    const { body: health } = await appliance.get<{ components: Record<string, unknown> }>('/api/v1/health');
    expect(health.components['alerting.sink.soar']).toEqual({ status: 'ok', detail: '1 delivered, 0 dropped, 0 pending' });
    const { body: config } = await appliance.get<{ alerting: { webhooks: Array<{ url: string; headers?: unknown }> } }>('/api/v1/config');
    expect(config.alerting.webhooks.map((w) => [w.url, w.headers])).toEqual([
      ['***', undefined],
      ['***', undefined],
      ['***', '***'],
    ]);
  });

  it('refuses private and reserved addresses unless the sink allows them', async () => {
    const capture = await receiver();
    for (const url of [capture.url, 'http://169.254.169.254/latest/meta-data', 'http://[::1]:9/x', 'http://100.64.0.1/x']) {
      await expect(start({ alerting: { webhooks: [{ url, format: 'json' }] } })).rejects.toThrow(
        /^alerting: cannot open the webhook sink "webhook-1": .* is a private, loopback or reserved address; set allow_private_addresses to allow it$/,
      );
    }
    // A name is checked where the connection is made: `localhost` resolves to loopback.
    const appliance = await start({
      alerting: { webhooks: [{ name: 'named', url: `http://localhost:${capture.port}/hook`, format: 'json' }], delivery: FAST },
    });
    appliance.server.seerflow.alerts.publish(makeAlert());
    const sink = await eventually(async () => {
      const s = await sinkStats(appliance, 'named');
      return s.dropped === 1 && s;
    });
    expect(sink).toMatchObject({ delivered: 0, retries: 0, dropped_undeliverable: 1, last_error: expect.stringMatching(/^localhost resolves to (127\.0\.0\.1|::1)/) });
    expect(capture.requests).toHaveLength(0);
    const health = await appliance.get<{ status: string; components: Record<string, { status: string; detail: string }> }>('/api/v1/health');
    expect(health.status).toBe(503);
    expect(health.body.components['alerting.sink.named']).toMatchObject({ status: 'degraded', detail: expect.stringContaining('0 delivered, 1 dropped') });
  });

  it('retries a failing receiver with backoff: two failures then success make one delivery', async () => {
    const capture = await receiver({ status: (n) => (n <= 2 ? 503 : 200) });
    const appliance = await start({ api_rate_limit_enabled: false, alerting: { webhooks: [hook(capture)], delivery: FAST } });
    const alert = makeAlert();
    appliance.server.seerflow.alerts.publish(alert);
    await eventually(async () => (await sinkStats(appliance, 'webhook-1')).delivered === 1);
    expect(capture.requests.map((r) => JSON.parse(r.body).alert_id)).toEqual([alert.alertId, alert.alertId, alert.alertId]);
    expect(await sinkStats(appliance, 'webhook-1')).toMatchObject({ delivered: 1, retries: 2, dropped: 0, last_error: '127.0.0.1:' + capture.port + ' answered 503' });
    expect((await appliance.get<{ status: string }>('/api/v1/health')).status).toBe(200);
  });

  it('drops and counts an alert after the bounded attempts, and does not retry a client error', async () => {
    const down = await receiver({ status: () => 500 });
    const refusing = await receiver({ status: () => 400 });
    const appliance = await start({
      api_rate_limit_enabled: false,
      alerting: { webhooks: [hook(down, { name: 'down' }), hook(refusing, { name: 'refusing' })], delivery: FAST },
    });
    appliance.server.seerflow.alerts.publish(makeAlert());
    await eventually(async () => (await stats(appliance)).sinks.every((s) => s.dropped === 1));
    expect(down.requests).toHaveLength(3);
    expect(refusing.requests).toHaveLength(1);
    expect(await sinkStats(appliance, 'down')).toMatchObject({ retries: 2, dropped_undeliverable: 1, last_error: `127.0.0.1:${down.port} answered 500` });
    const health = await appliance.get<{ components: Record<string, { status: string; detail: string }> }>('/api/v1/health');
    expect(health.status).toBe(503);
    expect(health.body.components['alerting.sink.refusing']).toEqual({
      status: 'degraded',
      detail: `127.0.0.1:${refusing.port} answered 400; 0 delivered, 1 dropped, 0 pending`,
    });
  });

  it('drops and counts when the queue is full, without ever holding up the publisher', async () => {
    const slow = await receiver({ delayMs: 150 });
    const appliance = await start({ api_rate_limit_enabled: false, alerting: { webhooks: [hook(slow)], delivery: { ...FAST, queue_size: 2 } } });
    const alerts = Array.from({ length: 6 }, () => makeAlert());
    for (const alert of alerts) appliance.server.seerflow.alerts.publish(alert);
    expect(slow.requests).toHaveLength(0); // publishing returned before any delivery
    await eventually(async () => (await sinkStats(appliance, 'webhook-1')).delivered === 3);
    expect(slow.requests.map((r) => JSON.parse(r.body).alert_id)).toEqual(alerts.slice(0, 3).map((a) => a.alertId));
    expect(await sinkStats(appliance, 'webhook-1')).toMatchObject({ delivered: 3, dropped: 3, dropped_queue_full: 3, pending: 0, capacity: 2 });
  });

  it('routes by alert type and minimum severity', async () => {
    const [pager, chat] = await Promise.all([receiver(), receiver()]);
    const appliance = await start({
      api_rate_limit_enabled: false,
      alerting: {
        webhooks: [hook(pager, { name: 'pager', min_severity: 5 }), hook(chat, { name: 'chat' })],
        routing_rules: [
          { match: { alert_type: ['sigma', 'correlation'] }, notify: [{ channel: 'pager' }, { channel: 'chat' }] },
          { match: { alert_type: 'ml', min_severity: 3 }, notify: [{ channel: 'chat' }] },
        ],
        default_routing: { action: 'drop' },
      },
    });
    const bus = appliance.server.seerflow.alerts;
    const sent = {
      sigmaCritical: makeAlert({ alertType: 'sigma', severity: 5 }),
      sigmaWarning: makeAlert({ alertType: 'sigma', severity: 3 }),
      mlError: makeAlert({ alertType: 'ml', severity: 4 }),
      mlNotice: makeAlert({ alertType: 'ml', severity: 2 }),
      ueba: makeAlert({ alertType: 'ueba', severity: 6 }),
    };
    for (const alert of Object.values(sent)) bus.publish(alert);
    await eventually(async () => pager.requests.length === 1 && chat.requests.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const ids = (capture: HttpCapture) => capture.requests.map((r) => JSON.parse(r.body).alert_id);
    expect(ids(pager)).toEqual([sent.sigmaCritical.alertId]);
    expect(ids(chat)).toEqual([sent.sigmaCritical.alertId, sent.sigmaWarning.alertId, sent.mlError.alertId]);
    expect(await stats(appliance)).toMatchObject({ alerts_routed: 3, alerts_unrouted: 2 });

    await expect(
      start({ alerting: { webhooks: [hook(chat, { name: 'chat' })], routing_rules: [{ match: {}, notify: [{ channel: 'pager' }] }] } }),
    ).rejects.toThrow('alerting.routing_rules[0].notify[0].channel: no sink is named "pager" (sinks: "chat")');
  });

  it('gives pending deliveries a bounded drain at stop', async () => {
    const slow = await receiver({ delayMs: 100 });
    const hung = await receiver({ delayMs: 60_000 });
    const appliance = await start({
      alerting: { webhooks: [hook(slow, { name: 'slow' }), hook(hung, { name: 'hung' })], delivery: { ...FAST, drain_timeout_ms: 1500 } },
    });
    for (let i = 0; i < 3; i++) appliance.server.seerflow.alerts.publish(makeAlert());
    const started = Date.now();
    await appliance.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    const sinks = appliance.server.plugins.alerting.stats().sinks;
    expect(sinks.map((s) => [s.name, s.delivered, s.dropped_at_stop])).toEqual([
      ['slow', 3, 0],
      ['hung', 0, 3],
    ]);
  });
});
