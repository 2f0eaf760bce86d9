/**
 * The alert lifecycle end to end: a syslog line over real UDP raises a Sigma alert in the real
 * appliance, which is recorded with dedup (reference §10.3) and reaches a webhook once; a repeat
 * within the dedup window is counted in the store and sends nothing; a per-rule window override
 * lets a later repeat through as a new alert.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClockNs } from '../../main/core/clock.js';
import { applianceFixture, eventually, type TestAppliance } from '../support/appliance.js';
import { sendUdp } from '../support/net.js';
import { captureHttp, type HttpCapture } from './capture.js';

const start = applianceFixture();
let webhook: HttpCapture;
afterEach(async () => {
  await webhook.close();
});

/** Bundled rule `291e3387-…`: fires on a root login with a password. */
const ROOT_LOGIN = 'Root Logged In Over SSH With a Password';
const BASE_NS = systemClockNs();

/** An RFC 5424 sshd line stamped `offsetS` seconds after the test started. */
function rootLogin(offsetS: number, port: number): string {
  const iso = new Date(Number(BASE_NS / 1_000_000n) + offsetS * 1000).toISOString();
  return `<38>1 ${iso} web01 sshd 4242 - - Accepted password for root from 203.0.113.7 port ${port} ssh2`;
}

interface StoredAlert {
  alert_id: string;
  rule_name: string;
  dedup_count: number;
}

async function storedRootLogins(appliance: TestAppliance): Promise<StoredAlert[]> {
  const { body } = await appliance.get<{ items: StoredAlert[] }>('/api/v1/alerts?type=sigma&limit=100');
  return body.items.filter((alert) => alert.rule_name === ROOT_LOGIN);
}

async function applianceWithWebhook(overrides: Record<string, number> = {}): Promise<TestAppliance> {
  webhook = await captureHttp();
  return start({
    api_rate_limit_enabled: false,
    alerting: {
      dedup_window_overrides: overrides,
      webhooks: [{ name: 'soc', url: webhook.url, format: 'json', allow_private_addresses: true }],
      // The same line also raises other alerts (a generic login rule, the kill chain): only this rule goes out.
      routing_rules: [{ match: { alert_type: 'sigma', rule_name: 'Root Logged In *' }, notify: [{ channel: 'soc' }] }],
    },
  });
}

describe('alert lifecycle through the real pipeline', () => {
  it('sends a Sigma alert raised by a syslog line once, and a repeat within the dedup window not at all', async () => {
    const appliance = await applianceWithWebhook();
    const syslog = appliance.port('syslog_udp');
    await sendUdp(syslog, [rootLogin(0, 41_000)]);
    await eventually(async () => webhook.requests.length === 1);
    const sent = JSON.parse(webhook.requests[0]!.body) as Record<string, unknown>;
    expect(sent).toMatchObject({ alert_type: 'sigma', rule_name: ROOT_LOGIN, severity: 'ERROR', entity_value: '203.0.113.7', dedup_count: 1 });
    expect((await storedRootLogins(appliance)).map((a) => [a.alert_id, a.dedup_count])).toEqual([[sent.alert_id, 1]]);

    await sendUdp(syslog, [rootLogin(30, 41_001)]);
    // Once the store has counted the repeat, its commit is over: had it been announced, it would have been sent by now.
    await eventually(async () => (await storedRootLogins(appliance))[0]?.dedup_count === 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(webhook.requests).toHaveLength(1);
    const { body } = await appliance.get<{ alerting: { sinks: Array<{ delivered: number }> } }>('/api/v1/stats');
    expect(body.alerting.sinks[0]!.delivered).toBe(1);
  });

  it('lets a repeat through as a new alert once the rule’s overridden window has passed', async () => {
    const appliance = await applianceWithWebhook({ [ROOT_LOGIN]: 10 });
    const syslog = appliance.port('syslog_udp');
    await sendUdp(syslog, [rootLogin(0, 42_000)]);
    await eventually(async () => webhook.requests.length === 1);
    await sendUdp(syslog, [rootLogin(5, 42_001)]); // within 10 s: counted
    await eventually(async () => (await storedRootLogins(appliance))[0]?.dedup_count === 2);
    await sendUdp(syslog, [rootLogin(11, 42_002)]); // 11 s after the first: a new alert
    await eventually(async () => webhook.requests.length === 2);

    const [first, second] = webhook.requests.map((r) => JSON.parse(r.body) as { alert_id: string; dedup_count: number });
    expect(second!.alert_id).not.toBe(first!.alert_id);
    expect(second!.dedup_count).toBe(1);
    expect((await storedRootLogins(appliance)).map((a) => [a.alert_id, a.dedup_count])).toEqual([[second!.alert_id, 1]]);
  });
});
