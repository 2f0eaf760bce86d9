/**
 * Template mining throughput: learning ~200k synthetic syslog-like messages (ten templates with
 * varying users, addresses, ports, pids, paths and ids) with the default masks, on one core.
 * Target from the issue: 300,000 lines/s. A second figure times the parse tree alone (no masks).
 */
import { Drain } from '../main/core/template/drain.js';
import { TemplateMiner } from '../main/core/template/template-miner.js';
import { type BenchResult, measure } from './harness.js';
import { seededRandom } from '../main/core/random.js';

const MESSAGES = 200_000;
const TARGET = 300_000;

/** Synthetic messages, the syslog header already stripped (as the miner receives them). */
export function syntheticMessages(count: number = MESSAGES, seed = 42): string[] {
  const rnd = seededRandom(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const users = ['root', 'admin', 'alice', 'bob', 'deploy', 'oracle', 'test', 'ubuntu', 'git', 'postgres'];
  const ip = (): string => `${1 + int(223)}.${int(256)}.${int(256)}.${1 + int(254)}`;
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const templates: (() => string)[] = [
    () => `Failed password for invalid user ${pick(users)} from ${ip()} port ${1024 + int(60000)} ssh2`,
    () => `Accepted publickey for ${pick(users)} from ${ip()} port ${1024 + int(60000)} ssh2: RSA SHA256:${hex(20)}`,
    () => `pam_unix(sshd:session): session opened for user ${pick(users)} by (uid=0)`,
    () => `Received disconnect from ${ip()} port ${1024 + int(60000)}:11: disconnected by user`,
    () => `Connection closed by authenticating user ${pick(users)} ${ip()} port ${1024 + int(60000)} [preauth]`,
    () => `(${pick(users)}) CMD (/usr/lib/sa/sa1 ${1 + int(9)} ${1 + int(9)})`,
    () => `Started Session ${int(100000)} of user ${pick(users)}.`,
    () => `container ${hex(12)} exited with code ${int(3)} after ${int(5000)}ms request_id=${uuid()}`,
    () => `kernel: [UFW BLOCK] IN=eth0 OUT= SRC=${ip()} DST=${ip()} LEN=${40 + int(1400)} PROTO=TCP SPT=${int(65536)} DPT=${int(1024)}`,
    () => `nginx: ${ip()} - - "GET /api/v1/items/${int(10000)} HTTP/1.1" ${pick([200, 200, 200, 404, 500])} ${int(20000)} "-" "curl/8.${int(9)}.0"`,
  ];
  return Array.from({ length: count }, () => (pick(templates) as () => string)());
}

export default async function (): Promise<BenchResult[]> {
  const messages = syntheticMessages();
  const miner = measure(
    'template mining: mask + learn',
    messages.length,
    () => {
      const m = new TemplateMiner();
      for (const message of messages) m.learn(message);
    },
    TARGET,
  );
  const tree = measure(
    'template mining: parse tree only (no masks)',
    messages.length,
    () => {
      const d = new Drain();
      for (const message of messages) d.learn(message);
    },
    TARGET,
  );
  return [miner, tree];
}
