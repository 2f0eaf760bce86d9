/**
 * End-to-end support: Debian's Chromium driven by playwright-core against a real headless
 * appliance that serves the built dashboard (`out/renderer`, built by `npm test` or
 * `npx electron-vite build`), syslog lines that fire real Sigma rules, and screenshots into
 * the git-ignored `test-results/screenshots/`.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_DIR = path.join(ROOT, 'out', 'renderer');
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results', 'screenshots');
export const RESULTS_DIR = path.join(ROOT, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Fail early, naming the fix, when the dashboard has not been built. */
export function assertRendererBuilt(): void {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`no built dashboard in ${RENDERER_DIR}: run \`npx electron-vite build\` (npm test does it first)`);
  }
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and CSP violations seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** One Chromium per test file, with a fresh profile directory. */
export async function launchBrowser(): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'seerflow-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** An RFC 5424 syslog line stamped now. */
export function syslogLine(priority: number, host: string, app: string, message: string, at = new Date()): string {
  return `<${priority}>1 ${at.toISOString()} ${host} ${app} ${1000 + Math.floor(Math.random() * 9000)} - - ${message}`;
}

/** Lines that fire bundled Sigma rules (their own `x_seerflow_tests` samples, stamped now), with benign traffic around them. */
export function attackLines(): string[] {
  return [
    syslogLine(86, 'web01', 'su', '(to root) alice on pts/1'),
    syslogLine(86, 'web01', 'useradd', 'new user: name=backup2, UID=1005, GID=1005, home=/home/backup2, shell=/bin/bash, from=/dev/pts/1'),
    syslogLine(86, 'web01', 'usermod', "add 'backup2' to group 'sudo'"),
    syslogLine(38, 'web01', 'sshd', 'Accepted password for root from 203.0.113.7 port 40222 ssh2'),
  ];
}

/** A line that fires one more rule (sudo refused for www-data), for the live-alert check. */
export function liveAttackLine(): string {
  return syslogLine(85, 'web01', 'sudo', 'www-data : user NOT in sudoers ; TTY=unknown ; PWD=/var/www/html ; USER=root ; COMMAND=/usr/bin/id');
}

export function benignLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    syslogLine(30, `app0${i % 3}`, 'cron', `(root) CMD (run-parts /etc/cron.hourly) job ${i} for user deploy from 10.0.0.${(i % 20) + 1}`),
  );
}

/** A port free for both TCP and UDP on 127.0.0.1 right now (for receivers whose port the page must show). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
      server.on('error', reject);
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}
