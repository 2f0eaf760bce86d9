/**
 * Threat intel through the real appliance: a TAXII feed served in this process, an event that
 * mentions a listed address, the `ioc` alert read back from the API, the event's `ioc_matches`,
 * `/stats`, `/health`, `seerflow intel list|refresh`, and a restart that keeps the indicators.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiClient } from '../../main/cli/api-client.js';
import { intelListCommand, intelRefreshCommand } from '../../main/cli/intel.js';
import type { SeerflowConfig } from '../../main/config/types.js';
import { systemClockNs } from '../../main/core/clock.js';
import type { RawEvent } from '../../main/core/event.js';
import { applianceFixture, eventually, tempDir, type EventsPage, type TestAppliance } from '../support/appliance.js';
import { COLLECTION_ID, indicator, startTaxiiServer, type TaxiiServer } from './feed-servers.js';

const start = applianceFixture();
const servers: TaxiiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

interface AlertsPage {
  items: Array<Record<string, unknown>>;
  meta: { total: number };
}

async function taxiiWith(objects: Array<Record<string, unknown>>): Promise<TaxiiServer> {
  const server = await startTaxiiServer({ pageSize: 100 });
  objects.forEach((object, i) => server.objects.push({ object, addedAt: `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z` }));
  servers.push(server);
  return server;
}

function intelConfig(url: string): Parameters<typeof start>[0] {
  return {
    threat_intel: {
      enabled: true,
      startup_jitter_s: 0,
      retry_attempts: 1,
      request_timeout_s: 2,
      feeds: [{ id: 'otx', url, collection_id: COLLECTION_ID, allow_insecure: true, allow_private_addresses: true }],
    },
  } as Parameters<typeof start>[0];
}

const line = (text: string): RawEvent => ({ sourceType: 'stdin', sourceId: 'stdin', receivedNs: systemClockNs(), line: text });

async function feedStatus(appliance: TestAppliance): Promise<Record<string, unknown>> {
  const { body } = await appliance.get<{ feeds: Array<Record<string, unknown>> }>('/api/v1/intel/feeds');
  return body.feeds[0] as Record<string, unknown>;
}

async function iocAlerts(appliance: TestAppliance): Promise<AlertsPage> {
  return (await appliance.get<AlertsPage>('/api/v1/alerts?type=ioc')).body;
}

const C2 = [{ kill_chain_name: 'mitre-attack', phase_name: 'command-and-control' }];

describe('threat intel in the appliance', () => {
  it('raises one ioc alert for an event that mentions a listed address, and marks the event', async () => {
    const server = await taxiiWith([
      indicator(1, "[ipv4-addr:value = '203.0.113.7']", { confidence: 75, kill_chain_phases: C2 }),
      indicator(2, "[domain-name:value = 'evil.example']", { confidence: 20 }),
    ]);
    const appliance = await start(intelConfig(server.discoveryUrl));
    await eventually(async () => (await feedStatus(appliance)).indicators === 2);

    await appliance.server.seerflow.pipeline.submit([line('probe from 203.0.113.7 port 4444'), line('probe from 203.0.113.8 port 4444')]);
    const alerts = await eventually(async () => {
      const page = await iocAlerts(appliance);
      return page.meta.total > 0 && page;
    });
    expect(alerts.meta.total).toBe(1);
    expect(alerts.items[0]).toMatchObject({
      alert_type: 'ioc',
      rule_name: 'ti:otx',
      severity: 4,
      severity_text: 'Error',
      risk_score: 0.75,
      entity_type: 'ip',
      entity_value: '203.0.113.7',
      mitre_tactics: ['command_and_control'],
      message: 'Threat-intel match: 203.0.113.7 (ipv4) from otx confidence=75',
    });

    const events = (await appliance.get<EventsPage>('/api/v1/events?q=203.0.113.7')).body;
    const marked = events.items.find((e) => e.message === 'probe from 203.0.113.7 port 4444');
    const matches = marked?.ioc_matches as Array<Record<string, unknown>>;
    expect(matches).toEqual([
      expect.objectContaining({ value: '203.0.113.7', type: 'ipv4', source_feed: 'otx', confidence: 75, kill_chain_phases: ['command-and-control'], entity_kind: 'ip' }),
    ]);
    expect(alerts.items[0]?.entity_uuid).toBe(matches[0]!.entity_uuid);

    const stats = (await appliance.get<{ threat_intel: { feeds: Record<string, Record<string, unknown>>; matcher: Record<string, unknown>; enrichment: Record<string, unknown> } }>('/api/v1/stats')).body;
    expect(stats.threat_intel.feeds.otx).toMatchObject({ state: 'ok', indicators: 2, polls_total: 1, matches_total: 1, last_error: null });
    expect(stats.threat_intel.matcher).toMatchObject({ enabled: true, indicators_loaded: 2 });
    expect(stats.threat_intel.enrichment).toMatchObject({ checks_total: 2, alerts_emitted_total: 1 });
    const health = (await appliance.get<{ components: Record<string, { status: string }> }>('/api/v1/health')).body;
    expect(health.components).toMatchObject({ ioc: { status: 'ok' }, 'ioc.feed.otx': { status: 'ok' } });
  });

  it('keeps the indicators across a restart, even when the feed is unreachable then', async () => {
    const server = await taxiiWith([indicator(1, "[ipv4-addr:value ISSUBSET '198.51.100.0/24']", { confidence: 90 })]);
    const dir = tempDir();
    const first = await start(intelConfig(server.discoveryUrl), { dir });
    await eventually(async () => (await feedStatus(first)).indicators === 1);
    await first.stop();
    await server.stop();
    servers.splice(0);

    const second = await start(intelConfig(server.discoveryUrl), { dir });
    expect(await feedStatus(second)).toMatchObject({ indicators: 1, cursor: '2026-01-01T00:00:00.000Z' });
    await eventually(async () => (await feedStatus(second)).state === 'error');
    const health = await second.get<{ components: Record<string, { status: string; detail: string }> }>('/api/v1/health');
    expect(health.status).toBe(503);
    expect(health.body.components['ioc.feed.otx']).toMatchObject({ status: 'degraded', detail: expect.stringContaining('1 indicators') });

    await second.server.seerflow.pipeline.submit([line('outbound to 198.51.100.200')]);
    const alerts = await eventually(async () => {
      const page = await iocAlerts(second);
      return page.meta.total > 0 && page;
    });
    expect(alerts.items[0]).toMatchObject({ severity: 5, entity_value: '198.51.100.200', rule_name: 'ti:otx' });
  });

  it('lists and refreshes feeds from the CLI', async () => {
    const server = await taxiiWith([indicator(1, "[url:value = 'http://evil.example/x']")]);
    const appliance = await start(intelConfig(server.apiRootUrl));
    await eventually(async () => (await feedStatus(appliance)).indicators === 1);
    const api = apiClient({ ...appliance.config, dashboard_port: appliance.port('api') } as SeerflowConfig);

    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += chunk.toString();
      return true;
    });
    try {
      expect(await intelListCommand(api, false)).toBe(0);
      server.objects.push({ object: indicator(2, "[domain-name:value = 'c2.example']"), addedAt: '2026-01-02T00:00:00.000Z' });
      expect(await intelRefreshCommand(api, 'otx', true)).toBe(0);
      await expect(intelRefreshCommand(api, 'nope', true)).rejects.toThrow('no threat-intel feed named nope on the appliance');
      server.failNext = 1;
      expect(await intelRefreshCommand(api, undefined, true)).toBe(1);
    } finally {
      spy.mockRestore();
    }
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+format\s+state\s+indicators\s+last_success_at/);
    expect(lines[1]).toMatch(/^otx\s+taxii\s+ok\s+1\s+/);
    expect(JSON.parse(lines[2] as string)).toMatchObject({ id: 'otx', state: 'ok', indicators: 2, polls_total: 2 });
    expect(JSON.parse(lines[3] as string)).toMatchObject({ id: 'otx', state: 'error', last_error_code: 'http_status' });
  });

  it('answers the CLI plainly when threat intel is off', async () => {
    const appliance = await start();
    const api = apiClient({ ...appliance.config, dashboard_port: appliance.port('api') } as SeerflowConfig);
    await expect(intelListCommand(api, true)).rejects.toThrow('threat intel is not enabled on the appliance');
    const health = (await appliance.get<{ components: Record<string, { status: string }> }>('/api/v1/health')).body;
    expect(health.components.ioc).toEqual({ status: 'disabled' });
    expect((await appliance.get<{ threat_intel: unknown }>('/api/v1/stats')).body.threat_intel).toBeNull();
  });
});
