/** Runs the `seerflow` CLI from the sources (tsx) as a child process, as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../main/cli/index.ts', import.meta.url));
// By URL, so the child finds tsx whatever its working directory.
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

/**
 * A `seerflow start` config for tests and benches: every receiver on loopback at a free port
 * (gRPC off), the API too. `extra` holds more top-level YAML (sections other than `receivers`).
 */
export function loopbackConfig(extra = ''): string {
  return `dashboard_port: 0
${extra}receivers:
  bind_addr: 127.0.0.1
  syslog_udp_port: 0
  syslog_tcp_port: 0
  otlp_grpc_enabled: false
  otlp_http_port: 0
`;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string; cwd?: string } = {}): Promise<CliRun> {
  const child = spawnCli(args, options.env, options.cwd);
  return collect(child, options.stdin);
}

export function collect(child: ChildProcess, stdin?: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  if (stdin !== undefined) child.stdin!.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/**
 * Watches a child's JSON log lines on stderr from the moment it is called; `waitFor(msg)` resolves
 * with the first entry whose `msg` is `msg`, including entries that arrived before the call (two
 * log lines often arrive in one chunk).
 */
export function watchLogs(child: ChildProcess): { waitFor(message: string): Promise<Record<string, unknown>> } {
  const entries: Array<Record<string, unknown>> = [];
  const waiters: Array<{ message: string; resolve: (entry: Record<string, unknown>) => void }> = [];
  let partial = '';
  let output = '';
  child.stderr!.on('data', (data: Buffer) => {
    output += data.toString();
    const lines = (partial + data.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as Record<string, unknown>;
      entries.push(entry);
      for (const waiter of waiters.filter((w) => w.message === entry.msg)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(entry);
      }
    }
  });
  const exited = new Promise<never>((_resolve, reject) =>
    child.on('exit', (code) => reject(new Error(`exited (${code}) before the expected log line:\n${output}`))),
  );
  exited.catch(() => {});
  return {
    waitFor(message) {
      const seen = entries.find((entry) => entry.msg === message);
      if (seen) return Promise.resolve(seen);
      return Promise.race([new Promise<Record<string, unknown>>((resolve) => waiters.push({ message, resolve })), exited]);
    },
  };
}
