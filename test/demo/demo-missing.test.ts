/** An appliance whose demo logs are missing (a stripped package) says so instead of failing later. */
import { describe, expect, it, vi } from 'vitest';
import { applianceFixture, tempDir } from '../support/appliance.js';

const emptyDir = tempDir('seerflow-no-demo-');
vi.mock('../../main/demo/demo-files.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../main/demo/demo-files.js')>()),
  demoDir: () => emptyDir,
}));

const start = applianceFixture();

describe('POST /api/v1/demo without the demo logs', () => {
  it('answers 503 naming the missing files, and stays idle', async () => {
    const appliance = await start();
    const response = await appliance.server.inject({ method: 'POST', url: '/api/v1/demo' });
    expect(response.statusCode).toBe(503);
    expect(response.result).toMatchObject({
      detail: 'demo_not_ready',
      status: 'unavailable',
      message: `the demo logs are missing from ${emptyDir}: syslog.log, web01-access.log, web02-access.log`,
    });
    expect((await appliance.get('/api/v1/demo')).body).toEqual({ status: 'idle', sent: 0, total: 0 });
  });
});
