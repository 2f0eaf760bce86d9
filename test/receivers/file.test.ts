import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, applianceFixture, tempDir, type EventsPage, type TestAppliance } from '../support/appliance.js';


const start = applianceFixture();

async function messages(app: TestAppliance, expected: number): Promise<string[]> {
  await eventually(async () => {
    const { body } = await app.get<EventsPage>('/api/v1/events?limit=1000');
    return body.meta.total >= expected;
  });
  // Let any extra (duplicated) line show up before we count.
  await new Promise((resolve) => setTimeout(resolve, 150));
  const { body } = await app.get<EventsPage>('/api/v1/events?limit=1000');
  return body.items.map((e) => e.message as string).sort();
}

function setup() {
  const dir = tempDir();
  const logs = path.join(dir, 'logs');
  fs.mkdirSync(logs);
  const file = path.join(logs, 'app.log');
  const receivers = { file_paths: [path.join(logs, '*.log')], file_poll_interval_ms: 20, allowed_log_roots: [logs] };
  return { dir, logs, file, receivers };
}

describe('file receiver', () => {
  it('starts existing files at their end, then tails appended lines; a partial line waits for its newline', async () => {
    const { dir, file, receivers } = setup();
    fs.writeFileSync(file, 'old line 1\nold line 2\n');
    const appliance = await start({ receivers }, { dir });
    fs.appendFileSync(file, 'new line 1\nnew li');
    expect(await messages(appliance, 1)).toEqual(['new line 1']);
    fs.appendFileSync(file, 'ne 2\n');
    expect(await messages(appliance, 2)).toEqual(['new line 1', 'new line 2']);
  });

  it('resumes after a restart with no line lost or duplicated', async () => {
    const { dir, file, receivers } = setup();
    fs.writeFileSync(file, '');
    const first = await start({ receivers }, { dir });
    fs.appendFileSync(file, 'a1\na2\n');
    await messages(first, 2);
    await first.stop();
    // Written while the appliance was down: must be read on restart, once.
    fs.appendFileSync(file, 'b1\nb2\n');
    const second = await start({ receivers }, { dir });
    fs.appendFileSync(file, 'c1\n');
    expect(await messages(second, 5)).toEqual(['a1', 'a2', 'b1', 'b2', 'c1']);
  });

  it('follows rotation (reading the rest of the old file first) and truncation', async () => {
    const { dir, file, receivers } = setup();
    fs.writeFileSync(file, '');
    const appliance = await start({ receivers }, { dir });
    fs.appendFileSync(file, 'before rotation\n');
    await messages(appliance, 1);
    fs.appendFileSync(file, 'last words of the old file\n');
    fs.renameSync(file, `${file}.1`);
    fs.writeFileSync(file, 'first line of the new file\n');
    expect(await messages(appliance, 3)).toEqual([
      'before rotation',
      'first line of the new file',
      'last words of the old file',
    ]);
    fs.truncateSync(file, 0);
    fs.appendFileSync(file, 'after truncation\n');
    expect(await messages(appliance, 4)).toContain('after truncation');
  });

  it('reads a file created after start from its beginning, and ignores files outside allowed_log_roots', async () => {
    const { dir, logs, receivers } = setup();
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(outside);
    const appliance = await start(
      { receivers: { ...receivers, file_paths: [...receivers.file_paths, path.join(outside, '*.log')] } },
      { dir },
    );
    fs.writeFileSync(path.join(outside, 'secret.log'), 'must not be read\n');
    fs.writeFileSync(path.join(logs, 'late.log'), 'late 1\nlate 2\n');
    expect(await messages(appliance, 2)).toEqual(['late 1', 'late 2']);
  });

  it('does not follow a symlinked folder inside a root out of it', async () => {
    const { dir, logs, receivers } = setup();
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.log'), 'must not be read\n');
    fs.symlinkSync(outside, path.join(logs, 'linked'));
    const appliance = await start({ receivers: { ...receivers, file_paths: [...receivers.file_paths, path.join(logs, 'linked', '*.log')] } }, { dir });
    fs.writeFileSync(path.join(outside, 'later.log'), 'must not be read either\n');
    fs.writeFileSync(path.join(logs, 'late.log'), 'late 1\n');
    expect(await messages(appliance, 1)).toEqual(['late 1']);
  });
});
