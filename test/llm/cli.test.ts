/**
 * `seerflow hunt` against a running appliance, and `seerflow models pull|list`, spawned as a user
 * runs them. `pull` downloads from a local HTTP server (no internet here) through node-llama-cpp's
 * real downloader.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applianceFixture, tempDir } from '../support/appliance.js';
import { runCli } from '../support/cli.js';
import { tinyGguf } from '../support/tiny-gguf.js';
import { fixedClock, storeEvents } from './fixtures.js';

const start = applianceFixture();
/** Each spawned CLI compiles its sources with tsx: slow on a busy machine. */
const CLI_TEST_MS = 180_000;

function configFile(dir: string, yaml: string): string {
  const file = path.join(dir, 'seerflow.yaml');
  fs.writeFileSync(file, yaml);
  return file;
}

describe('seerflow hunt', () => {
  it('answers an entity question without the model; other questions exit 2 saying the LLM is not ready', async () => {
    const appliance = await start({}, { clock: fixedClock });
    await storeEvents(appliance, { message: 'Failed password for root from 203.0.113.7' });
    const dir = tempDir();
    const config = configFile(dir, `dashboard_port: ${appliance.port('api')}\n`);

    const found = await runCli(['hunt', 'what did 203.0.113.7 do', '--config', config], { cwd: dir });
    expect(found.code).toBe(0);
    expect(found.stdout).toContain('entity lookup: ip 203.0.113.7 (no model)');
    expect(found.stdout).toContain('Failed password for root from 203.0.113.7');

    const json = await runCli(['hunt', 'what about 198.51.100.9', '--json', '--config', config], { cwd: dir });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ mode: 'entity', total: 0, events: [] });

    const plain = await runCli(['hunt', 'anything odd tonight', '--config', config], { cwd: dir });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('the LLM is not ready (disabled)');
  }, CLI_TEST_MS);
});

describe('seerflow models', () => {
  it('pulls a model over HTTP into llm.models_dir, then lists it checked; an unusable file makes list exit 1', async () => {
    const model = tinyGguf({ name: 'served-tiny' });
    const server = http.createServer((request, response) => {
      if (request.url !== '/served-tiny.gguf') return void response.writeHead(404).end();
      if (request.method === 'HEAD') return void response.writeHead(200, { 'Content-Length': model.length }).end();
      response.writeHead(200, { 'Content-Length': model.length, 'Content-Type': 'application/octet-stream' }).end(model);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const dir = tempDir();
      const models = path.join(dir, 'models');
      const config = configFile(dir, `llm:\n  models_dir: ${models}\n`);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/served-tiny.gguf`;

      const pulled = await runCli(['models', 'pull', url, '--json', '--config', config], { cwd: dir });
      expect(pulled.stderr).toBe('');
      expect(JSON.parse(pulled.stdout)).toEqual({ path: path.join(models, 'served-tiny.gguf'), ok: true, name: 'served-tiny' });
      expect(pulled.code).toBe(0);

      const listed = await runCli(['models', 'list', '--json', '--config', config], { cwd: dir });
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toMatchObject({ name: 'served-tiny', architecture: 'llama', ok: true, configured: false, context_length: 4096 });

      fs.writeFileSync(path.join(models, 'broken.gguf'), 'not a model');
      const withBroken = await runCli(['models', 'list', '--config', config], { cwd: dir });
      expect(withBroken.code).toBe(1);
      expect(withBroken.stdout).toMatch(/broken\.gguf is not a valid GGUF model/);
      expect(withBroken.stdout).toMatch(/served-tiny +llama/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, CLI_TEST_MS);
});
