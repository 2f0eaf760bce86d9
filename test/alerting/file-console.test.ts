/**
 * The line sinks: the NDJSON file sink with size rotation and backups (built-in `file_path` and
 * a declarative LEEF file sink) in the real appliance, a path that cannot be written failing at
 * startup, and the console sink writing one line per alert to a stream.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/config/load.js';
import { DeliveryQueue } from '../../plugins/alerting/delivery-queue.js';
import { openSink, sinkConfigs } from '../../plugins/alerting/open-sinks.js';
import { applianceFixture, eventually, tempDir } from '../support/appliance.js';
import { makeAlert } from '../support/make-alert.js';

const start = applianceFixture();

function lines(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

describe('file sink', () => {
  it('appends one JSON alert per line and rotates by size, keeping the configured backups', async () => {
    const dir = tempDir('seerflow-alerts-');
    const file = path.join(dir, 'alerts.ndjson');
    const appliance = await start({ alerting: { file_path: file, file_max_bytes: 4096, file_backup_count: 2 } });
    // Each line is ~900 bytes: four fit in a file, so 20 alerts make 5 files of which 3 are kept.
    const alerts = Array.from({ length: 20 }, (_, i) => makeAlert({ description: `alert ${i} ${'x'.repeat(300)}\nwith a newline` }));
    for (const alert of alerts) appliance.server.seerflow.alerts.publish(alert);
    await eventually(async () => appliance.server.plugins.alerting.stats().sinks[0]!.delivered === 20);

    expect(fs.readdirSync(dir).sort()).toEqual(['alerts.ndjson', 'alerts.ndjson.1', 'alerts.ndjson.2']);
    for (const name of fs.readdirSync(dir)) expect(fs.statSync(path.join(dir, name)).size).toBeLessThanOrEqual(4096);
    const kept = [`${file}.2`, `${file}.1`, file].flatMap(lines).map((line) => JSON.parse(line) as { alert_id: string; message: string });
    // The newest alerts, in order, each whole: the oldest went with the files rotated out.
    expect(kept.map((a) => a.alert_id)).toEqual(alerts.slice(20 - kept.length).map((a) => a.alertId));
    expect(kept.length).toBeGreaterThanOrEqual(9);
    expect(kept.at(-1)!.message).toBe(alerts[19]!.description);
  });

  it('writes LEEF lines from a declarative sink, only at or above its minimum severity', async () => {
    const file = path.join(tempDir('seerflow-alerts-'), 'alerts.leef');
    const appliance = await start({ alerting: { sinks: [{ type: 'file', name: 'leef-file', formatter: 'leef', min_severity: 4, options: { path: file } }] } });
    const high = makeAlert({ severity: 4 });
    appliance.server.seerflow.alerts.publish(makeAlert({ severity: 3 }));
    appliance.server.seerflow.alerts.publish(high);
    await eventually(async () => appliance.server.plugins.alerting.stats().sinks[0]!.delivered === 1);
    expect(lines(file)).toHaveLength(1);
    expect(lines(file)[0]).toMatch(new RegExp(`^LEEF:2\\.0\\|Seerflow\\|.*\\talertId=${high.alertId}\\t`));
  });

  it('fails at startup, naming the sink, when the file cannot be written', async () => {
    const missing = path.join(tempDir(), 'no', 'such', 'dir', 'alerts.ndjson');
    await expect(start({ alerting: { file_path: missing } })).rejects.toThrow(/^alerting: cannot open the file sink "file": ENOENT/);
  });
});

describe('console sink', () => {
  it('writes one human line per alert to its stream, controls made visible', async () => {
    const config = validateConfig({ alerting: { console_enabled: true, console_stream: 'stderr', console_min_severity: 2 } }, {});
    const stderr = new PassThrough();
    let written = '';
    stderr.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
    const [sinkConfig] = sinkConfigs(config.alerting);
    const sink = await openSink(sinkConfig!, { streams: { stdout: new PassThrough(), stderr }, dashboardUrl: null, timeoutMs: 1000 });
    const queue = new DeliveryQueue(sink, { attempts: 1, backoffBaseMs: 1, backoffMaxMs: 1 }, 10);
    const alert = makeAlert({ severity: 4, timestampNs: 1_796_032_800_000_000_000n, description: 'evil\n\u001b[2Jclear' });
    queue.offer(sink.render(alert));
    await eventually(async () => queue.stats().delivered === 1);
    expect(sink.minSeverity).toBe(2);
    expect(written).toBe(`2026-11-30T10:00:00.000Z ERROR sigma "SSH brute force" ip 203.0.113.7 risk=0.50 evil\\n\\x1b[2Jclear [${alert.alertId}]\n`);
  });
});
