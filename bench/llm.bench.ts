/**
 * LLM mechanics on this machine with the tiny test model (random weights, 470 KB: the figures
 * measure the plumbing, not a real model's speed or quality), through a real appliance and its
 * API (`server.inject`):
 * - the loading phases, cold: the GGUF check, the native binding (`getLlama`), model + context;
 *   then "model ready after server start" with the binding already loaded in the process;
 * - explain (each a new alert, so no cache), a cached explanation, hunt translated by the model
 *   (each a new question), hunt answered by the entity lookup, a rule suggestion (cache dropped
 *   between runs). Latency p50/p95 per request, printed; items/s in the table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { validateConfig } from '../main/config/load.js';
import type { Alert } from '../main/core/alert.js';
import { entityRef } from '../main/core/entity/identity.js';
import type { EntityRef } from '../main/core/event.js';
import { createServer, stopServer } from '../main/server.js';
import { acquireLlama, releaseLlama } from '../plugins/llm/llama-runtime.js';
import { checkModelFile } from '../plugins/llm/model-check.js';
import { writeTinyGguf } from '../test/support/tiny-gguf.js';
import { makeAlert } from '../test/support/make-alert.js';
import { makeEvent } from '../test/support/make-event.js';
import { type BenchResult, peakRssMb } from './harness.js';

const ROUNDS = 20;
const NOW = 1_796_032_800_000_000_000n;
const S = 1_000_000_000n;

async function appliance(dir: string, modelPath: string) {
  const config = validateConfig({
    dashboard_port: 0,
    storage: { data_dir: dir },
    receivers: { syslog_enabled: false, otlp_http_enabled: false, otlp_grpc_enabled: false },
    llm: { backend: 'llama_cpp', model_path: modelPath, explanation_max_prompt_chars: 1500 },
  });
  const server = await createServer({ config, logger: pino({ level: 'silent' }), clock: () => NOW });
  const started = performance.now();
  await server.start();
  for (;;) {
    const status = server.plugins.llm.engine.readiness().status;
    if (status === 'ready') break;
    if (status === 'degraded') throw new Error(server.plugins.llm.engine.readiness().reason);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { server, readyMs: performance.now() - started };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(name: string, rounds: number, request: (i: number) => Promise<number>): Promise<BenchResult> {
  const latencies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    const status = await request(i);
    if (status !== 200) throw new Error(`${name}: HTTP ${status}`);
    latencies.push(performance.now() - started);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const total = latencies.reduce((a, b) => a + b, 0);
  console.log(`${name}: p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms (${rounds} requests)`);
  return { name, items: rounds, seconds: total / 1000, peakRssMb: peakRssMb() };
}

/** Milliseconds `work` takes, and its result. */
async function clocked<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

export default async function run(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seerflow-llm-bench-'));
  const modelPath = writeTinyGguf(path.join(dir, 'tiny.gguf'));
  const [, checkMs] = await clocked(() => checkModelFile(modelPath));
  const [llama, bindingMs] = await clocked(acquireLlama);
  const [model, loadMs] = await clocked(async () => {
    const loaded = await llama.loadModel({ modelPath });
    await (await loaded.createContext({ contextSize: 4096, threads: 1 })).dispose();
    return loaded;
  });
  await model.dispose();
  console.log(`cold: GGUF check ${checkMs.toFixed(0)} ms, binding ${bindingMs.toFixed(0)} ms, model + context ${loadMs.toFixed(0)} ms`);
  // The binding stays held: the appliance below loads only the model.
  const { server, readyMs } = await appliance(dir, modelPath);
  console.log(`model ready after server start (binding loaded): ${readyMs.toFixed(0)} ms`);
  const runtime = server.seerflow;
  const attacker = entityRef('ip', '203.0.113.7') as EntityRef;
  const post = async (url: string, payload?: object) => (await server.inject({ method: 'POST', url: `/api/v1${url}`, payload })).statusCode;

  // Evidence: one event and one alert per round, three with TP verdicts (a suggestion pattern).
  const alerts: Alert[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const event = makeEvent({ timestampNs: NOW - BigInt(i + 1) * S, entities: [attacker], message: `Failed password for root from 203.0.113.7 port ${4000 + i} ssh2` });
    runtime.writer.write(event);
    alerts.push(makeAlert({ alertId: uuidv7(), dedupKey: `bench:${i}`, entityId: attacker.id, contributingEventIds: [event.eventId] }));
  }
  await runtime.writer.whenDurable();
  for (const alert of alerts) await runtime.alertStore.record(alert, 900n * S);
  for (const alert of alerts.slice(0, 3)) await runtime.alertStore.submitFeedback(alert.alertId, 'tp', '', 'api', NOW);

  const results = [
    await timed('llm explain, tiny model (uncached)', ROUNDS, (i) => post(`/alerts/${alerts[i]!.alertId}/explain`)),
    await timed('llm explain, cached', ROUNDS, (i) => post(`/alerts/${alerts[i]!.alertId}/explain`)),
    await timed('llm hunt, tiny model (uncached)', ROUNDS, (i) => post('/hunt', { query: `unusual activity number ${i} overnight` })),
    await timed('llm hunt, entity lookup (no model)', ROUNDS, () => post('/hunt', { query: 'what did 203.0.113.7 do' })),
    await timed('llm rule suggestion, tiny model', 5, async () => {
      await server.inject({ method: 'DELETE', url: '/api/v1/sigma/rule-suggestions/sigma:ssh-brute-force:ip' });
      return post('/sigma/rule-suggestions/sigma:ssh-brute-force:ip');
    }),
  ];
  await stopServer(server);
  await releaseLlama();
  return results;
}
