/**
 * Writes the bundled demo logs (`resources/demo/*.log`) from the story generator:
 * `npx tsx main/demo/write-files.ts`. The files are committed; a test checks they still match.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoDir } from './demo-files.js';
import { writeStory, type DemoStory } from './story.js';

/** File name → content, as `resources/demo/` holds them. */
export function demoFileContents(story: DemoStory = writeStory()): Record<string, string> {
  const text = (lines: string[]) => `${lines.join('\n')}\n`;
  return {
    'syslog.log': text(story.syslog),
    'web01-access.log': text(story.access.web01),
    'web02-access.log': text(story.access.web02),
  };
}

// Run as a script (not when a test imports `demoFileContents`).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = demoDir();
  for (const [name, content] of Object.entries(demoFileContents())) {
    fs.writeFileSync(path.join(dir, name), content);
    process.stdout.write(`${path.join(dir, name)}: ${content.split('\n').length - 1} lines\n`);
  }
}
