/**
 * Syslog header parsing throughput: 500k generated lines, mixed RFC 5424 (with and without
 * structured data) and RFC 3164 (with and without PRI), through `parseSyslogLine` on one core;
 * then each format alone. Target: 1M lines/s.
 */
import { parseSyslogLine } from '../main/core/parsing/syslog.js';
import { measure, type BenchResult } from './harness.js';

const LINES = 500_000;
const TARGET = 1_000_000;
const NOW_NS = 1_796_036_400_000_000_000n; // 2026-11-30T11:00:00Z

const HOSTS = ['web01', 'web02', 'db-primary', 'fw-edge.example.net', '10.0.4.17'];
const APPS = ['sshd', 'nginx', 'postfix/smtpd', 'kernel', 'CRON', 'sudo'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MESSAGES = [
  'Failed password for root from 203.0.113.7 port 22 ssh2',
  'Accepted publickey for deploy from 198.51.100.23 port 50122 ssh2: RSA SHA256:Qm9vYmFy',
  'connect from unknown[192.0.2.44]',
  'pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)',
  '192.0.2.10 - - "GET /api/v1/alerts?limit=50 HTTP/1.1" 200 1534 "-" "curl/8.5.0"',
  '[UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.99 DST=10.0.4.17 PROTO=TCP SPT=44321 DPT=23',
];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

type Mix = 'mixed' | '5424' | '3164';

/**
 * Deterministic lines. Mixed: 40 % plain 5424, 10 % 5424 with SD, 35 % 3164 with PRI, 15 %
 * PRI-less 3164. A single-format mix keeps the same proportions within its format.
 */
export function makeLines(count: number, mix: Mix = 'mixed'): string[] {
  const lines: string[] = [];
  let seed = 42;
  const next = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < count; i++) {
    const host = HOSTS[next(HOSTS.length)];
    const app = APPS[next(APPS.length)];
    const message = MESSAGES[next(MESSAGES.length)];
    const pri = next(192);
    const pid = 1000 + next(60_000);
    const day = 1 + next(28);
    const time = `${pad2(next(24))}:${pad2(next(60))}:${pad2(next(60))}`;
    const draw = next(20);
    const kind = mix === 'mixed' ? draw : mix === '5424' ? draw % 10 : 10 + (draw % 10);
    if (kind < 8) {
      const fraction = String(next(1_000_000)).padStart(6, '0');
      lines.push(`<${pri}>1 2026-11-${pad2(day)}T${time}.${fraction}Z ${host} ${app} ${pid} - - ${message}`);
    } else if (kind < 10) {
      lines.push(
        `<${pri}>1 2026-11-${pad2(day)}T${time}+02:00 ${host} ${app} ${pid} ID47 ` +
          `[origin ip="10.0.4.${next(255)}" software="rsyslogd"][meta sequenceId="${i}"] ${message}`,
      );
    } else {
      const month = MONTHS[next(12)];
      const dayText = day < 10 ? ` ${day}` : String(day);
      const prefix = kind < 17 ? `<${pri}>` : '';
      lines.push(`${prefix}${month} ${dayText} ${time} ${host} ${app}[${pid}]: ${message}`);
    }
  }
  return lines;
}

function measureMix(name: string, mix: Mix): BenchResult {
  const lines = makeLines(LINES, mix);
  let parsed = 0;
  const result = measure(
    name,
    lines.length,
    () => {
      parsed = 0;
      for (const line of lines) if (parseSyslogLine(line, NOW_NS) !== undefined) parsed++;
    },
    TARGET,
  );
  if (parsed !== lines.length) throw new Error(`${name}: only ${parsed} of ${lines.length} lines parsed`);
  return result;
}

export default async function (): Promise<BenchResult[]> {
  return [
    measureMix('syslog parse (mixed 5424/3164)', 'mixed'),
    measureMix('syslog parse (RFC 5424 only)', '5424'),
    measureMix('syslog parse (RFC 3164 only)', '3164'),
  ];
}
