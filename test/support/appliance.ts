/**
 * Starts a real appliance for integration tests: real hapi server and receivers on free ports
 * (port 0), a real SQLite file in a temp dir, a silent logger. `stop()` drains and closes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Hapi from '@hapi/hapi';
import pino from 'pino';
import { afterEach } from 'vitest';
import { validateConfig } from '../../main/config/load.js';
import type { SeerflowConfig } from '../../main/config/types.js';
import { systemClockNs, type ClockNs } from '../../main/core/clock.js';
import type { SessionSummary } from '../../main/runtime.js';
import { createServer, stopServer } from '../../main/server.js';

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends Array<infer U> ? Array<DeepPartial<U>> : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

export interface TestAppliance {
  server: Hapi.Server;
  config: SeerflowConfig;
  dir: string;
  /** The bound port of a receiver (`syslog_udp`, `otlp_http`…) or of the API (`api`). */
  port(name: string): number;
  get<T = unknown>(url: string): Promise<{ status: number; body: T }>;
  stop(): Promise<SessionSummary>;
}

function merge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? merge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

export function testConfig(dir: string, overrides: DeepPartial<SeerflowConfig> = {}): SeerflowConfig {
  const base = {
    dashboard_port: 0,
    storage: { data_dir: dir, writer_flush_ms: 20 },
    receivers: {
      bind_addr: '127.0.0.1',
      syslog_udp_port: 0,
      syslog_tcp_port: 0,
      otlp_http_port: 0,
      otlp_grpc_port: 0,
      webhook_port: 0,
    },
  };
  return validateConfig(merge(base, overrides as Record<string, unknown>), {});
}

export function tempDir(prefix = 'seerflow-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startAppliance(
  overrides: DeepPartial<SeerflowConfig> = {},
  options: { dir?: string; rendererDir?: string; clock?: ClockNs } = {},
): Promise<TestAppliance> {
  const dir = options.dir ?? tempDir();
  const config = testConfig(dir, overrides);
  const server = await createServer({
    config,
    logger: pino({ level: 'silent' }),
    clock: options.clock ?? systemClockNs,
    rendererDir: options.rendererDir,
  });
  await server.start();
  let stopped: Promise<SessionSummary> | undefined;
  return {
    server,
    config,
    dir,
    port(name) {
      const port = name === 'api' ? (server.info.port as number) : server.seerflow.listeners.get(name);
      if (!port) throw new Error(`no listener named ${name}`);
      return port;
    },
    async get<T>(url: string) {
      const response = await server.inject({ method: 'GET', url });
      return { status: response.statusCode, body: response.result as T };
    },
    stop: () => (stopped ??= stopServer(server)),
  };
}

/** Poll `check` until it returns a value other than undefined/false, or fail after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The contract's page of events, as tests read it. */
export interface EventsPage {
  items: Array<Record<string, unknown>>;
  meta: { total: number; page: number; limit: number };
}

/** For a test file: a `start` that records each appliance, all stopped after each test. */
export function applianceFixture(): typeof startAppliance {
  const running: TestAppliance[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((appliance) => appliance.stop()));
  });
  return async (overrides, options) => {
    const appliance = await startAppliance(overrides, options);
    running.push(appliance);
    return appliance;
  };
}
