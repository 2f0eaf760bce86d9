/** Runs the `seerflow` CLI from the sources (tsx) as a child process, as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../main/cli/index.ts', import.meta.url));
// By URL, so the child finds tsx whatever its working directory.
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

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

/** Wait for a JSON log line on stderr whose `msg` is `message`; resolves with it. */
export function waitForLog(child: ChildProcess, message: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (data: Buffer) => {
      buffer += data.toString();
      for (const line of buffer.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          if (entry.msg === message) {
            child.stderr!.off('data', onData);
            resolve(entry);
            return;
          }
        } catch {
          // partial line; wait for more
        }
      }
    };
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited (${code}) before logging "${message}":\n${buffer}`)));
  });
}
