/**
 * The dashboard's first run and its live connection, in Debian's Chromium against real
 * appliances: an empty appliance shows how to send it logs (its real receiver ports) and replays
 * the demo from the Overview's button; when the server stops, the "disconnected" banner appears,
 * and when it comes back on the same port and data folder the banner clears and the stream's
 * filter is replayed.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startAppliance, tempDir, type TestAppliance } from '../support/appliance.js';
import { assertRendererBuilt, freePort, launchBrowser, RENDERER_DIR, screenshot, type Browser } from './browser.js';

let browser: Browser;
let page: Page;
const running: TestAppliance[] = [];

async function start(...args: Parameters<typeof startAppliance>): Promise<TestAppliance> {
  const appliance = await startAppliance(...args);
  running.push(appliance);
  return appliance;
}

beforeAll(async () => {
  assertRendererBuilt();
  browser = await launchBrowser();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(running.map((appliance) => appliance.stop()));
});

describe('first run', () => {
  it('an empty appliance says how to send it logs, then loads the demo from the Overview', async () => {
    const syslogPort = await freePort();
    const appliance = await start(
      { api_rate_limit_enabled: false, receivers: { syslog_udp_port: syslogPort, syslog_tcp_port: syslogPort } },
      { rendererDir: RENDERER_DIR },
    );
    await page.goto(`http://127.0.0.1:${appliance.port('api')}/overview`);
    const firstRun = page.getByTestId('first-run');
    await firstRun.waitFor();
    const udp = firstRun.locator('[data-receiver="syslog_udp"]');
    await udp.getByText(`port ${syslogPort}`).waitFor();
    expect(await udp.locator('pre').textContent()).toContain(`-P ${syslogPort}`);
    await screenshot(page, 'first-run');

    // The demo replays bundled logs through the real receivers; progress comes from GET /demo.
    await page.getByTestId('load-demo').click();
    await page.getByTestId('demo-progress').getByText(/running · [\d,]+ \/ [\d,]+ lines/).waitFor();
    await eventually(async () => ((await appliance.get<{ events_stored: number }>('/api/v1/stats')).body.events_stored > 0 ? true : undefined), 20_000);
    await expect.poll(() => page.getByTestId('demo-progress').textContent(), { timeout: 15_000 }).toMatch(/ [1-9][\d,]* \/ /);
    await page.getByTestId('kpi-events-per-sec').waitFor();
    await screenshot(page, 'first-run-demo');
    await appliance.stop();
  });
});

describe('live stream', () => {
  it('shows the disconnect banner while the server is down, then reconnects and replays the filter', async () => {
    const dir = tempDir();
    const first = await start({ api_rate_limit_enabled: false }, { dir, rendererDir: RENDERER_DIR });
    const port = first.port('api');
    await page.goto(`http://127.0.0.1:${port}/events`);
    await page.getByTestId('pipeline-indicator').getByText('pipeline online').waitFor();
    // A server-side stream filter (events of one source), which every reconnect must replay.
    await page.getByLabel('Source', { exact: true }).fill('sshd');
    await page.getByLabel('Source', { exact: true }).press('Enter');
    await page.getByLabel('Source', { exact: true }).blur();
    const filtered = (appliance: TestAppliance) =>
      [...appliance.server.plugins.stream.connections.clients].some((client) => client.filter.sources.has('sshd'));
    await eventually(async () => filtered(first));

    await first.stop();
    const banner = page.getByRole('status').filter({ hasText: 'Live stream disconnected — retrying' });
    await banner.waitFor({ timeout: 10_000 });
    await page.getByTestId('pipeline-indicator').getByText(/pipeline (offline|connecting)/).waitFor();
    await screenshot(page, 'disconnected');

    const second = await start({ api_rate_limit_enabled: false, dashboard_port: port }, { dir, rendererDir: RENDERER_DIR });
    await banner.waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByTestId('pipeline-indicator').getByText('pipeline online').waitFor();
    await eventually(async () => filtered(second));
    expect(browser.problems).toEqual([]);
  });
});
