import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { choosePort, isPortFree } from './port.js';

const blockers: net.Server[] = [];
afterEach(() => blockers.splice(0).forEach((server) => server.close()));

async function occupy(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  blockers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return (server.address() as net.AddressInfo).port;
}

describe('choosePort', () => {
  it('keeps the configured port when it is free', async () => {
    const port = await occupy();
    blockers.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await choosePort('127.0.0.1', port)).toBe(port);
  });

  it('falls back to another free port when the configured one is taken', async () => {
    const taken = await occupy();
    expect(await isPortFree('127.0.0.1', taken)).toBe(false);
    const chosen = await choosePort('127.0.0.1', taken);
    expect(chosen).not.toBe(taken);
    expect(await isPortFree('127.0.0.1', chosen)).toBe(true);
  });
});
