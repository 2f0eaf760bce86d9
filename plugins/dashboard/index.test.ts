import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Hapi from '@hapi/hapi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dashboardPlugin } from './index.js';

const THEME_SCRIPT = "try{if(localStorage.getItem('seerflow-theme')==='light')document.documentElement.classList.add('sf-light')}catch(e){}";
let dir: string;
let server: Hapi.Server;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seerflow-renderer-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><html><head><script>${THEME_SCRIPT}</script><script type="module" src="/assets/app.js"></script></head><body></body></html>`,
  );
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  server = Hapi.server();
  await server.register({ plugin: dashboardPlugin, options: { rendererDir: dir } });
});

afterEach(async () => {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = (url: string) => server.inject({ method: 'GET', url, headers: { host: '127.0.0.1:8080' } });

describe('dashboard plugin', () => {
  it('answers deep links with the app shell under a CSP that allows only its own scripts and stream', async () => {
    const response = await get('/alerts/01a22c0d');
    expect(response.statusCode).toBe(200);
    expect(response.payload).toContain('<script type="module" src="/assets/app.js">');
    const csp = response.headers['content-security-policy'] as string;
    const hash = createHash('sha256').update(THEME_SCRIPT).digest('base64');
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:8080/api/v1/ws wss://127.0.0.1:8080/api/v1/ws");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('caches hashed assets for good and answers 404 for a missing one (not the shell)', async () => {
    const asset = await get('/assets/app.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get('/assets/missing-abc.js')).statusCode).toBe(404);
  });

  it('does not answer unknown API paths with the app', async () => {
    const response = await get('/api/v1/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.payload).not.toContain('<html>');
  });

  it('picks up a rebuilt shell with a different inline script', async () => {
    const later = new Date(Date.now() + 5000);
    fs.writeFileSync(path.join(dir, 'index.html'), '<html><head><script>void 0</script></head></html>');
    fs.utimesSync(path.join(dir, 'index.html'), later, later);
    const csp = (await get('/')).headers['content-security-policy'] as string;
    expect(csp).toContain(`'sha256-${createHash('sha256').update('void 0').digest('base64')}'`);
  });
});
