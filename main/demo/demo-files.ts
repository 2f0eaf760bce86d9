/**
 * The bundled demo logs (`resources/demo/`): which file goes through which receiver, and loading
 * them as one time-ordered list. Syslog lines go to the syslog receiver; each web server's access
 * log goes over OTLP/HTTP as that server's nginx (or over syslog when OTLP/HTTP is off).
 */
import fs from 'node:fs';
import path from 'node:path';
import { resourcesDir } from '../resources.js';
import { lineTimeMs } from './timestamps.js';

export type DemoChannel = 'syslog' | 'access';

export interface DemoFile {
  name: string;
  channel: DemoChannel;
  /** For access logs: the web server that wrote it (OTLP `host.name`). */
  host?: string;
}

export const DEMO_FILES: readonly DemoFile[] = [
  { name: 'syslog.log', channel: 'syslog' },
  { name: 'web01-access.log', channel: 'access', host: 'web01' },
  { name: 'web02-access.log', channel: 'access', host: 'web02' },
];

export interface DemoLine {
  /** Event time in the story, epoch ms. */
  timeMs: number;
  channel: DemoChannel;
  host: string;
  text: string;
}

/** Where the bundled demo logs live. */
export function demoDir(): string {
  return path.join(resourcesDir(), 'demo');
}

/** The files of `DEMO_FILES` missing from `dir` (empty when the demo can run). */
export function missingDemoFiles(dir: string): string[] {
  return DEMO_FILES.filter((file) => !fs.existsSync(path.join(dir, file.name))).map((file) => file.name);
}

/**
 * Every line of every demo file, ordered by event time (stable: file order on equal times).
 * Throws when a line has no timestamp this module reads: the files are ours, so that is a bug.
 */
export function loadDemoLines(dir: string): DemoLine[] {
  const lines: DemoLine[] = [];
  for (const file of DEMO_FILES) {
    const texts = fs.readFileSync(path.join(dir, file.name), 'utf8').split('\n');
    texts.forEach((text, index) => {
      if (text === '') return;
      const timeMs = lineTimeMs(text);
      if (Number.isNaN(timeMs)) throw new Error(`demo file ${file.name} line ${index + 1} has no timestamp`);
      lines.push({ timeMs, channel: file.channel, host: file.host ?? '', text });
    });
  }
  return lines.sort((a, b) => a.timeMs - b.timeMs);
}
