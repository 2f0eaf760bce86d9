/** `seerflow start --demo`: the appliance starts, replays the demo through its receivers, keeps running. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoOption } from '../../main/cli/start.js';
import { tempDir } from '../support/appliance.js';
import { collect, loopbackConfig, runCli, spawnCli, watchLogs } from '../support/cli.js';

const CONFIG = loopbackConfig('storage:\n  writer_flush_ms: 20\n');

describe('seerflow start --demo', () => {
  it('replays the demo once listening, with progress, and stores every line', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'seerflow.yaml'), CONFIG);
    const child = spawnCli(['start', '--demo', '0', '--config', 'seerflow.yaml'], { SEERFLOW_DATA_DIR: dir }, dir);
    const logs = watchLogs(child);
    const done = collect(child);
    const started = await logs.waitFor('demo replay started');
    const progress = await logs.waitFor('demo replay progress');
    expect(progress.sent).toBeLessThan(started.lines as number);
    const ended = await logs.waitFor('demo replay ended');
    expect(ended).toMatchObject({ status: 'done', sent: started.lines, total: started.lines });
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`session summary: ${started.lines} events, [1-9]\\d* alerts`));
  }, 90_000);

  it('stops with a clear message when the demo cannot run, exit 2', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'seerflow.yaml'), `${CONFIG}  syslog_enabled: false\n`);
    const result = await runCli(['start', '--demo', '--config', 'seerflow.yaml'], { env: { SEERFLOW_DATA_DIR: dir }, cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--demo: the demo sends its logs through the syslog receiver: set receivers.syslog_enabled');
  }, 60_000);
});

describe('--demo [seconds]', () => {
  it('is off unless given; alone it uses the default duration; a number sets it', () => {
    expect(demoOption(undefined)).toEqual({ demo: false });
    expect(demoOption(true)).toEqual({ demo: true });
    expect(demoOption('12.5')).toEqual({ demo: true, durationS: 12.5 });
    expect(demoOption('0')).toEqual({ demo: true, durationS: 0 });
  });

  it('refuses what is not a duration from 0 to 600 seconds', () => {
    for (const bad of ['abc', '-1', '601', ' ']) expect(() => demoOption(bad)).toThrow(/--demo takes a duration in seconds from 0 to 600/);
  });
});
