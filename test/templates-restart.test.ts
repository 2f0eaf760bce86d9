import { describe, expect, it } from 'vitest';
import { systemClockNs } from '../main/core/clock.js';
import type { RawEvent } from '../main/core/event.js';
import { startAppliance, tempDir } from './support/appliance.js';

// Received now: events stamped at the epoch would be removed by retention on restart.
const stdin = (line: string): RawEvent => ({ sourceType: 'stdin', sourceId: 'stdin', receivedNs: systemClockNs(), line });

describe('template ids across restarts', () => {
  it('keeps ids stable, and new templates do not reuse old ids', async () => {
    const dir = tempDir();
    let appliance = await startAppliance({}, { dir });
    await appliance.server.seerflow.pipeline.submit([stdin('user alice logged in from 10.0.0.1'), stdin('disk sda1 is 91% full')]);
    const before = appliance.server.seerflow.miner.templates();
    await appliance.stop();

    appliance = await startAppliance({}, { dir });
    await appliance.server.seerflow.pipeline.submit([stdin('user bob logged in from 10.0.0.2'), stdin('backup finished in 42 s')]);
    const { body } = await appliance.get<{ items: Array<{ message: string; template_id: number }> }>('/api/v1/events');
    const id = (message: string) => body.items.find((e) => e.message === message)!.template_id;
    expect(id('user bob logged in from 10.0.0.2')).toBe(id('user alice logged in from 10.0.0.1'));
    const backup = id('backup finished in 42 s');
    expect(before.map((t) => t.templateId)).not.toContain(backup);
    const rows = await appliance.server.seerflow.templates.list(10);
    expect(rows.find((t) => t.templateId === id('user alice logged in from 10.0.0.1'))?.eventCount).toBe(2);
    await appliance.stop();
  });
});
