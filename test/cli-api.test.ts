import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { apiClient } from '../main/cli/api-client.js';
import { feedbackCommand } from '../main/cli/feedback.js';
import { exportCommand, queryCommand } from '../main/cli/query.js';
import { systemClockNs } from '../main/core/clock.js';
import type { RawEvent } from '../main/core/event.js';
import { applianceFixture, tempDir } from './support/appliance.js';
import { runCli } from './support/cli.js';

const start = applianceFixture();

/** Run `fn` while capturing what it writes to stdout. */
async function stdoutOf(fn: () => Promise<unknown>): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return out;
}

const line = (text: string): RawEvent => ({ sourceType: 'stdin', sourceId: 'stdin', receivedNs: systemClockNs(), line: text });

describe('CLI over the API', () => {
  it('queries and exports events from a running appliance', async () => {
    const appliance = await start();
    await appliance.server.seerflow.pipeline.submit([line('Failed password for root from 203.0.113.7'), line('disk "sda" full, retry')]);
    const api = apiClient({ ...appliance.config, dashboard_port: appliance.port('api') });

    const json = await stdoutOf(() => queryCommand(api, 'events', { limit: '10', json: true, q: 'password' }));
    expect(json.trim().split('\n').map((l) => JSON.parse(l).message)).toEqual(['Failed password for root from 203.0.113.7']);
    const text = await stdoutOf(() => queryCommand(api, 'events', { limit: '10', last: '1h' }));
    expect(text).toMatch(/^time\s+severity\s+source_id/);
    expect(text).toContain('(2 of 2)');

    const csvFile = path.join(tempDir(), 'events.csv');
    expect(await exportCommand(api, 'events', { limit: '100', format: 'csv', output: csvFile, last: '24h' })).toBe(2);
    const csv = fs.readFileSync(csvFile, 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^event_id,timestamp_ns,/);
    expect(csv).toHaveLength(3);
    expect(csv.some((row) => row.includes('"disk ""sda"" full, retry"'))).toBe(true);
  });

  it('reports an unknown alert on feedback and an unreachable appliance clearly', async () => {
    const appliance = await start();
    const api = apiClient({ ...appliance.config, dashboard_port: appliance.port('api') });
    await expect(feedbackCommand(api, '00000000-0000-7000-8000-000000000000', 'tp', {})).rejects.toThrow(/HTTP 404/);
    await expect(feedbackCommand(api, 'x', 'maybe', {})).rejects.toThrow(/tp or fp/);
    const down = apiClient({ ...appliance.config, dashboard_port: 1 }, 1);
    await expect(down.get('/health')).rejects.toThrow(/cannot reach the appliance .*`seerflow start`/);
  });

  it('seerflow status prints health and exits 0 when healthy', async () => {
    const appliance = await start();
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'seerflow.yaml'), `dashboard_port: ${appliance.port('api')}\n`);
    const result = await runCli(['status', '--json', '--config', path.join(dir, 'seerflow.yaml')]);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout) as { health: { status: string }; stats: { events_stored: number } };
    expect(body.health.status).toBe('ok');
    expect(body.stats.events_stored).toBe(0);
  });
});
