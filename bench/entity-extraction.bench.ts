/**
 * Entity extraction and logsource classification throughput on ~200k generated syslog messages
 * (header already parsed: host, app, procId, message), a realistic mix of sshd, PAM, sudo, cron,
 * nginx access, auditd, kernel firewall, postfix and systemd lines with a few thousand distinct
 * addresses and users, plus 5 % Sysmon-style structured events. One core.
 * Target for extraction: 300k messages/s.
 */
import { extractEntities, type ExtractInput } from '../main/core/entity/extract.js';
import { classifyLogsource, compileLogsourceRules } from '../main/core/logsource.js';
import type { Fields } from '../main/core/event.js';
import { measure, type BenchResult } from './harness.js';

const MESSAGES = 200_000;
const TARGET = 300_000;

const HOSTS = ['web01', 'web02', 'db-primary', 'fw-edge.example.net', 'mail01'];
const USERS = ['root', 'admin', 'alice', 'bob', 'deploy', 'oracle', 'test', 'ubuntu', 'git', 'postgres'];
const DOMAINS = ['example.com', 'api.example.org', 'cdn.example.net', 'mx.example.io'];
const PATHS = ['/index.html', '/api/v1/alerts?limit=50', '/wp-login.php', '/static/app.js', '/login'];

type Next = (n: number) => number;

/** One message of each kind; `pick` draws from the pools. */
const KINDS: ReadonlyArray<(pick: Next, ip: () => string) => Omit<ExtractInput, 'host'>> = [
  (p, ip) => ({ app: 'sshd', message: `Failed password for ${USERS[p(10)]} from ${ip()} port ${1024 + p(60000)} ssh2` }),
  (p, ip) => ({ app: 'sshd', message: `Failed password for invalid user ${USERS[p(10)]}${p(300)} from ${ip()} port ${1024 + p(60000)} ssh2` }),
  (p, ip) => ({ app: 'sshd', message: `Accepted publickey for ${USERS[p(10)]} from ${ip()} port ${1024 + p(60000)} ssh2: ED25519 SHA256:Qm9vYmFyYmF6cXV4` }),
  (p, ip) => ({ app: 'sshd', message: `Invalid user ${USERS[p(10)]}${p(300)} from ${ip()} port ${1024 + p(60000)}` }),
  (p, ip) => ({ app: 'sshd', message: `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip()}  user=${USERS[p(10)]}` }),
  (p) => ({ app: 'sshd', message: `pam_unix(sshd:session): session opened for user ${USERS[p(10)]}(uid=${1000 + p(10)}) by (uid=0)` }),
  (p) => ({ app: 'sudo', message: `   ${USERS[p(10)]} : TTY=pts/${p(5)} ; PWD=/home/${USERS[p(10)]} ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx` }),
  (p) => ({ app: 'CRON', message: `pam_unix(cron:session): session closed for user ${USERS[p(10)]}` }),
  (p) => ({ app: 'CRON', message: `(${USERS[p(10)]}) CMD (/usr/local/bin/backup.sh --quiet)` }),
  (p, ip) => ({
    app: 'nginx',
    message: `${ip()} - - [30/Nov/2026:11:00:${10 + p(50)} +0000] "GET ${PATHS[p(5)]} HTTP/1.1" ${[200, 301, 404, 500][p(4)]} ${p(90000)} "https://${DOMAINS[p(4)]}/" "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"`,
  }),
  (p, ip) => ({ app: 'kernel', message: `[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=${ip()} DST=10.0.4.17 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=${p(65535)} DF PROTO=TCP SPT=${1024 + p(60000)} DPT=23 WINDOW=29200 RES=0x00 SYN URGP=0` }),
  (p, ip) => ({ app: 'postfix/smtpd', message: `connect from unknown[${ip()}]` }),
  (p, ip) => ({ app: 'postfix/smtpd', message: `NOQUEUE: reject: RCPT from mail.${DOMAINS[p(4)]}[${ip()}]: 554 5.7.1 <spam@${DOMAINS[p(4)]}>: Relay access denied; from=<a@b.example> to=<c@${DOMAINS[p(4)]}> proto=ESMTP helo=<x>` }),
  (p) => ({ app: 'systemd', message: `Started Session ${p(5000)} of User ${USERS[p(10)]}.` }),
  () => ({ app: 'systemd', message: `nginx.service: Main process exited, code=exited, status=1/FAILURE` }),
  (p) => ({ app: 'auditd', message: `type=SYSCALL msg=audit(1796036400.${p(999)}:${p(99999)}): arch=c000003e syscall=59 success=yes exit=0 a0=55d0 a1=55d1 a2=55d2 a3=0 items=2 ppid=${p(9999)} pid=${p(99999)} auid=1000 uid=0 gid=0 euid=0 tty=pts0 ses=3 comm="curl" exe="/usr/bin/curl" key="susp_activity"` }),
  (p, ip) => ({ app: 'auditd', message: `type=USER_AUTH msg=audit(1796036400.${p(999)}:${p(99999)}): pid=${p(99999)} uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication grantors=? acct="${USERS[p(10)]}" exe="/usr/sbin/sshd" hostname=${ip()} addr=${ip()} terminal=ssh res=failed'` }),
  (p) => ({ app: 'dockerd', message: `time="2026-11-30T11:00:00.${p(999999)}Z" level=info msg="ignoring event" container=${p(1e9).toString(16)} module=libcontainerd namespace=moby topic=/tasks/delete type="*events.TaskDelete"` }),
];

function sysmonFields(pick: Next, ip: () => string): Fields {
  return {
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    EventID: [1, 3, 11, 22][pick(4)] ?? 1,
    Computer: `ws${pick(50)}.corp.example.com`,
    Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    ProcessId: 1000 + pick(9000),
    User: `CORP\\${USERS[pick(10)]}`,
    DestinationIp: ip(),
    Hashes: 'SHA256=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855,MD5=D41D8CD98F00B204E9800998ECF8427E',
    CommandLine: 'powershell.exe -NoProfile -EncodedCommand SQBFAFgA',
  };
}

/** Deterministic inputs; 95 % syslog kinds, 5 % Sysmon-style structured events. */
export function makeInputs(count: number): ExtractInput[] {
  let seed = 7;
  const pick: Next = (n) => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed % n;
  };
  // A few thousand distinct addresses, skewed: a tenth of them send half the traffic.
  const ip = (): string => {
    const n = pick(2) === 0 ? pick(400) : pick(4000);
    return `${[198, 203, 192, 10][n % 4]}.${(n >> 2) % 256}.${n % 7}.${(n * 37) % 254}`;
  };
  const inputs: ExtractInput[] = [];
  for (let i = 0; i < count; i++) {
    const host = HOSTS[pick(HOSTS.length)];
    const procId = String(1000 + pick(60_000));
    if (pick(20) === 0) {
      inputs.push({ message: 'Process Create: rule: ProcessCreate', fields: sysmonFields(pick, ip), host });
      continue;
    }
    const kind = KINDS[pick(KINDS.length)] as (typeof KINDS)[number];
    inputs.push({ ...kind(pick, ip), host, procId });
  }
  return inputs;
}

export default async function (): Promise<BenchResult[]> {
  const inputs = makeInputs(MESSAGES);
  let refs = 0;
  const extraction = measure(
    'entity extraction (mixed syslog + 5 % Sysmon)',
    inputs.length,
    () => {
      refs = 0;
      for (const input of inputs) refs += extractEntities(input).length;
    },
    TARGET,
  );
  if (refs < inputs.length * 2) throw new Error(`only ${refs} entities from ${inputs.length} bench messages`);

  const rules = compileLogsourceRules([]);
  const classifyInputs = inputs.map((input) => ({
    app: input.app ?? '',
    message: input.message,
    fields: input.fields ?? {},
    sourceType: 'syslog',
  }));
  let classified = 0;
  const classification = measure('logsource classification (same mix)', classifyInputs.length, () => {
    classified = 0;
    for (const input of classifyInputs) if (classifyLogsource(input, rules).product !== '') classified++;
  });
  if (classified === 0) throw new Error('no bench message was classified');
  return [extraction, classification];
}
