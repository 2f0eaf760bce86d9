/**
 * `npm run bench:scale`: appliances sharing one PostgreSQL store (README "Scaling out"). Each
 * appliance is its own `seerflow start` process; each gets N syslog lines over TCP as fast as it
 * accepts them (TCP pushes back, nothing is lost), and the time until every line is stored gives
 * its throughput. Runs one appliance alone, then two at once, and prints events/s of each and
 * together. Needs PostgreSQL's binaries (a private server is started, as in the tests).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect, spawnCli, watchLogs } from '../test/support/cli.js';
import { startPostgres } from '../test/support/postgres.js';

const EVENTS = Number(process.argv[2] ?? 100_000);

async function startAppliance(url: string, instanceId: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `seerflow-scale-${instanceId}-`));
  fs.writeFileSync(
    path.join(dir, 'seerflow.yaml'),
    `dashboard_port: 0
api_rate_limit_enabled: false
storage: { backend: postgresql, postgresql_url: "${url}", instance_id: ${instanceId}, retention_days: 0 }
receivers: { bind_addr: 127.0.0.1, syslog_udp_port: 0, syslog_tcp_port: 0, otlp_grpc_enabled: false, otlp_http_enabled: false, queue_maxsize: 100000 }
`,
  );
  const child = spawnCli(['start', '--config', 'seerflow.yaml'], { SEERFLOW_DATA_DIR: dir }, dir);
  const logs = watchLogs(child);
  const exited = collect(child);
  const syslog = await logs.waitFor('syslog receiver listening');
  const api = (await logs.waitFor('seerflow started')).url as string;
  return {
    tcpPort: syslog.tcp as number,
    async stored(): Promise<number> {
      const stats = (await (await fetch(`${api}/api/v1/stats`)).json()) as { events_stored: number };
      return stats.events_stored;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Send EVENTS lines to the appliance over TCP (a separate process) and time until all are stored. */
async function drive(appliance: Awaited<ReturnType<typeof startAppliance>>): Promise<number> {
  const started = performance.now();
  const sender = fork(fileURLToPath(new URL('./syslog-sender.ts', import.meta.url)), [String(appliance.tcpPort), String(EVENTS), '0'], {
    execArgv: ['--import', 'tsx'],
  });
  await new Promise((resolve) => sender.on('exit', resolve));
  while ((await appliance.stored()) < EVENTS) await new Promise((resolve) => setTimeout(resolve, 100));
  return EVENTS / ((performance.now() - started) / 1000);
}

const postgres = await startPostgres();
try {
  const alone = await startAppliance(await postgres.createDatabase(), 'alone');
  const rateAlone = await drive(alone);
  await alone.stop();

  const url = await postgres.createDatabase();
  const [a, b] = await Promise.all([startAppliance(url, 'a'), startAppliance(url, 'b')]);
  const [rateA, rateB] = await Promise.all([drive(a), drive(b)]);
  await Promise.all([a.stop(), b.stop()]);

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`| Setup (${EVENTS.toLocaleString('en-US')} syslog lines over TCP each, every default detector on) | events/s |`);
  console.log('|---|---:|');
  console.log(`| one appliance alone | ${fmt(rateAlone)} |`);
  console.log(`| two appliances at once: a | ${fmt(rateA)} |`);
  console.log(`| two appliances at once: b | ${fmt(rateB)} |`);
  console.log(`| two appliances at once: together | ${fmt(rateA + rateB)} |`);
} finally {
  await postgres.stop();
}
