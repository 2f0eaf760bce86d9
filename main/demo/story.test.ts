import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoDir, loadDemoLines } from './demo-files.js';
import { STORY_MINUTES, STORY_START_MS, writeStory } from './story.js';
import { demoFileContents } from './write-files.js';

describe('the demo story', () => {
  it('is what resources/demo holds, byte for byte (regenerate with `npx tsx main/demo/write-files.ts`)', () => {
    for (const [name, content] of Object.entries(demoFileContents())) {
      expect(fs.readFileSync(path.join(demoDir(), name), 'utf8'), name).toBe(content);
    }
  });

  it('is the same for the same seed and different for another', () => {
    expect(writeStory(1)).toEqual(writeStory(1));
    expect(writeStory(2).syslog).not.toEqual(writeStory(1).syslog);
  });

  it('is a few thousand timed lines over half an hour, in time order', () => {
    const lines = loadDemoLines(demoDir());
    expect(lines.length).toBeGreaterThan(3000);
    const times = lines.map((line) => line.timeMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(STORY_START_MS);
    expect(times.at(-1)! - STORY_START_MS).toBeLessThan((STORY_MINUTES + 2) * 60_000);
  });

  it('has only made-up actors: every client address is private or from the documentation ranges', () => {
    const { syslog, access } = writeStory();
    const clients = [
      ...[...access.web01, ...access.web02].map((line) => line.split(' ')[0]!),
      ...syslog.flatMap((line) => [...line.matchAll(/(?:from|SRC=) ?(\d+\.\d+\.\d+\.\d+)/g)].map((m) => m[1]!)),
    ];
    expect(clients.length).toBeGreaterThan(2000);
    expect(clients.filter((ip) => !/^(10\.|192\.0\.2\.|198\.51\.100\.|203\.0\.113\.)/.test(ip))).toEqual([]);
  });

  it('holds the three attacks among the benign traffic', () => {
    const { syslog, access } = writeStory();
    const failures = syslog.filter((line) => line.includes('Failed password') && line.includes('from 203.0.113.45'));
    const users = new Set(failures.map((line) => /for (?:invalid user )?(\S+) from/.exec(line)![1]));
    expect(failures.length).toBeGreaterThanOrEqual(40);
    expect(users.size).toBeGreaterThanOrEqual(10);
    expect(syslog.some((line) => line.includes('Accepted password for bob from 203.0.113.45'))).toBe(true);
    expect(syslog.some((line) => line.includes('COMMAND=/usr/bin/cat /etc/shadow'))).toBe(true);
    expect(access.web02.filter((line) => line.includes('Nikto')).length).toBeGreaterThan(50);
    expect(syslog.filter((line) => line.includes('query[A] cdn-sync.duckdns.org from 10.0.1.37')).length).toBeGreaterThanOrEqual(25);
  });
});
