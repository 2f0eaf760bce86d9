/**
 * A missing or corrupt model never takes the appliance down: the file is checked before
 * node-llama-cpp sees it (a GGUF without some metadata would abort the process), `/health` says
 * why, the LLM routes answer 503, and everything else keeps working.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applianceFixture, tempDir, type TestAppliance } from '../support/appliance.js';
import { tinyGguf } from '../support/tiny-gguf.js';
import { fixedClock, llmHealth, storeAlert, storeEvents } from './fixtures.js';

const start = applianceFixture();

async function startWith(write: (file: string) => void): Promise<{ appliance: TestAppliance; file: string }> {
  const dir = tempDir();
  const file = path.join(dir, 'model.gguf');
  write(file);
  const appliance = await start({ llm: { backend: 'llama_cpp', model_path: file, load_retry_delay_s: 0 } }, { dir, clock: fixedClock });
  return { appliance, file };
}

async function expectDegradedButServing(appliance: TestAppliance, reason: RegExp) {
  const health = await llmHealth(appliance);
  expect(health.status).toBe(503);
  expect(health.llm.status).toBe('degraded');
  expect(health.llm.detail).toMatch(reason);
  // The LLM routes say why…
  const alert = await storeAlert(appliance);
  const explain = await appliance.server.inject({ method: 'POST', url: `/api/v1/alerts/${alert.alertId}/explain` });
  expect(explain.statusCode).toBe(503);
  expect(explain.result).toMatchObject({ detail: 'llm_not_ready', status: 'degraded' });
  expect((explain.result as { message: string }).message).toMatch(reason);
  // …and the rest of the appliance works.
  await storeEvents(appliance, { message: 'still ingesting' });
  const events = await appliance.get<{ items: Array<{ message: string }> }>('/api/v1/events');
  expect(events.body.items.map((e) => e.message)).toEqual(['still ingesting']);
  expect((await appliance.get('/api/v1/alerts')).status).toBe(200);
}

describe('a model that cannot be loaded', () => {
  it('missing file: degraded, with the path and what to do', async () => {
    const { appliance } = await startWith(() => {});
    await expectDegradedButServing(appliance, /model file not found: .*model\.gguf \(set llm\.model_path/);
  });

  it('not a GGUF file', async () => {
    const { appliance } = await startWith((file) => fs.writeFileSync(file, 'this is not a model\n'.repeat(100)));
    await expectDegradedButServing(appliance, /is not a valid GGUF model/);
  });

  it('a GGUF lacking metadata llama.cpp would abort on is refused before loading', async () => {
    const { appliance } = await startWith((file) => fs.writeFileSync(file, tinyGguf({ omit: ['llama.block_count', 'tokenizer.ggml.tokens'] })));
    await expectDegradedButServing(appliance, /lacks metadata llama\.cpp needs: llama\.block_count, tokenizer\.ggml\.tokens/);
  });

  it('a truncated GGUF fails to load, is retried, and leaves the process running', async () => {
    const { appliance } = await startWith((file) => {
      const bytes = tinyGguf();
      fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    });
    await expectDegradedButServing(appliance, /model load failed after 2 attempts/);
  });
});
