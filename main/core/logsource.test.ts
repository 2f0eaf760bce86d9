import { describe, expect, it } from 'vitest';
import type { Fields, Logsource } from './event.js';
import {
  classifyLogsource,
  compileLogsourceRules,
  DEFAULT_LOGSOURCE_RULES,
  LOGSOURCE_PARENT_CATEGORY,
  LogsourceRuleError,
  type ClassifyInput,
  type LogsourceRule,
} from './logsource.js';

function input(app: string, message: string, fields: Fields = {}, sourceType = 'syslog'): ClassifyInput {
  return { app, message, fields, sourceType };
}

function ls(product: string, category: string, service: string): Logsource {
  return { product, category, service };
}

const NONE = ls('', '', '');
const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

describe('Linux defaults', () => {
  const cases: Array<[string, ClassifyInput, Logsource]> = [
    ['sshd', input('sshd', 'Failed password for root from 203.0.113.7 port 22 ssh2'), ls('linux', '', 'sshd')],
    ['sshd PAM line stays sshd', input('sshd', 'pam_unix(sshd:auth): authentication failure; user=root'), ls('linux', '', 'sshd')],
    ['OpenSSH 9.8 sshd-session', input('sshd-session', 'Accepted publickey for bob from 10.0.0.1 port 2 ssh2'), ls('linux', '', 'sshd')],
    ['raw sshd line, no header', input('', 'Nov 30 11:00:00 web01 sshd[4242]: Invalid user x from 1.2.3.4'), ls('linux', '', 'sshd')],
    ['sudo (Sigma: service sudo)', input('sudo', '  alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/id'), ls('linux', '', 'sudo')],
    ['raw sudo line', input('', 'sudo:    bob : TTY=pts/2 ; PWD=/root ; USER=root ; COMMAND=/usr/bin/id'), ls('linux', '', 'sudo')],
    ['su', input('su', '(to root) alice on pts/0'), ls('linux', '', 'auth')],
    ['login', input('login', 'FAILED LOGIN (1) on /dev/tty1 FOR root, Authentication failure'), ls('linux', '', 'auth')],
    ['useradd', input('useradd', 'new user: name=carol, UID=1002'), ls('linux', '', 'auth')],
    ['passwd', input('passwd', 'pam_unix(passwd:chauthtok): password changed for carol'), ls('linux', '', 'auth')],
    ['groupadd', input('groupadd', 'group added to /etc/group: name=dev, GID=1002'), ls('linux', '', 'auth')],
    ['pkexec', input('pkexec', 'alice: Executing command [USER=root] [TTY=/dev/pts/0]'), ls('linux', '', 'auth')],
    ['PAM from any other app', input('gdm-password', 'pam_unix(gdm-password:session): session opened for user alice'), ls('linux', '', 'auth')],
    ['CRON', input('CRON', '(root) CMD (/usr/local/bin/backup.sh)'), ls('linux', '', 'cron')],
    ['CRON PAM session stays cron', input('CRON', 'pam_unix(cron:session): session opened for user root'), ls('linux', '', 'cron')],
    ['crond', input('crond', '(CRON) STARTUP (1.5.7)'), ls('linux', '', 'cron')],
    [
      'auditd SYSCALL',
      input('', 'type=SYSCALL msg=audit(1796036400.120:300): arch=c000003e syscall=2 success=no exit=-13'),
      ls('linux', '', 'auditd'),
    ],
    [
      'auditd EXECVE is a process creation',
      input('', 'type=EXECVE msg=audit(1796036400.120:300): argc=3 a0="curl" a1="-o" a2="/tmp/x"'),
      ls('linux', 'process_creation', 'auditd'),
    ],
    [
      'audisp with node= prefix',
      input('audisp-syslog', 'node=web01 type=EXECVE msg=audit(1796036400.120:300): argc=1 a0="id"'),
      ls('linux', 'process_creation', 'auditd'),
    ],
    ['app auditd', input('auditd', 'Audit daemon rotating log files'), ls('linux', '', 'auditd')],
  ];
  for (const [name, event, expected] of cases) it(name, () => expect(classifyLogsource(event)).toEqual(expected));
});

describe('web defaults', () => {
  const combined =
    '203.0.113.9 - - [30/Nov/2026:11:00:00 +0000] "GET /wp-login.php HTTP/1.1" 404 153 "-" "Mozilla/5.0 (X11; Linux x86_64)"';
  it('nginx access line', () => expect(classifyLogsource(input('nginx', combined))).toEqual(ls('', 'webserver', '')));
  it('apache with a request line not at the start', () => {
    expect(classifyLogsource(input('apache2', `www.example.com:443 ${combined}`))).toEqual(ls('', 'webserver', ''));
  });
  it('common log format from a file, no app', () => {
    const common = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326';
    expect(classifyLogsource(input('', common, {}, 'file'))).toEqual(ls('', 'webserver', ''));
  });
  it('apache error log is service apache', () => {
    const error = '[core:error] [pid 4242] [client 203.0.113.9:51234] AH00126: Invalid URI in request GET /../../etc/passwd';
    expect(classifyLogsource(input('httpd', error))).toEqual(ls('', '', 'apache'));
  });
  it('nginx error log is not a web access log', () => {
    expect(classifyLogsource(input('nginx', '2026/11/30 11:00:00 [error] 12#12: *1 open() failed'))).toEqual(NONE);
  });
});

describe('Windows defaults', () => {
  const sysmon = (id: number | string, extra: Fields = {}): ClassifyInput => input('', '', { Channel: SYSMON, EventID: id, ...extra }, 'webhook');

  it('Sysmon event ids → Sigma categories', () => {
    const expected: Array<[number, string]> = [
      [1, 'process_creation'],
      [3, 'network_connection'],
      [5, 'process_termination'],
      [6, 'driver_load'],
      [7, 'image_load'],
      [8, 'create_remote_thread'],
      [10, 'process_access'],
      [11, 'file_event'],
      [13, 'registry_set'],
      [14, 'registry_rename'],
      [15, 'create_stream_hash'],
      [17, 'pipe_created'],
      [18, 'pipe_created'],
      [22, 'dns_query'],
      [23, 'file_delete'],
      [25, 'process_tampering'],
    ];
    for (const [id, category] of expected) expect(classifyLogsource(sysmon(id)), `EventID ${id}`).toEqual(ls('windows', category, 'sysmon'));
  });

  it('Sysmon 12 by EventType, registry_event without one', () => {
    expect(classifyLogsource(sysmon(12, { EventType: 'CreateKey' }))).toEqual(ls('windows', 'registry_add', 'sysmon'));
    expect(classifyLogsource(sysmon(12, { EventType: 'DeleteKey' }))).toEqual(ls('windows', 'registry_delete', 'sysmon'));
    expect(classifyLogsource(sysmon(12, { EventType: 'DeleteValue' }))).toEqual(ls('windows', 'registry_delete', 'sysmon'));
    expect(classifyLogsource(sysmon(12))).toEqual(ls('windows', 'registry_event', 'sysmon'));
    expect(LOGSOURCE_PARENT_CATEGORY.registry_add).toBe('registry_event');
    expect(LOGSOURCE_PARENT_CATEGORY.registry_set).toBe('registry_event');
  });

  it('EventID as text, and other Sysmon ids', () => {
    expect(classifyLogsource(sysmon('1'))).toEqual(ls('windows', 'process_creation', 'sysmon'));
    expect(classifyLogsource(sysmon(4))).toEqual(ls('windows', 'sysmon_status', 'sysmon'));
    expect(classifyLogsource(sysmon(99))).toEqual(ls('windows', '', 'sysmon'));
  });

  it('evtx_dump and Winlogbeat field names', () => {
    const evtx = { 'Event.System.Channel': SYSMON, 'Event.System.EventID': 1 };
    expect(classifyLogsource(input('', '', evtx))).toEqual(ls('windows', 'process_creation', 'sysmon'));
    const beat = { 'winlog.channel': 'Security', 'winlog.event_id': '4688' };
    expect(classifyLogsource(input('', '', beat))).toEqual(ls('windows', 'process_creation', 'security'));
  });

  it('Security, System, PowerShell channels', () => {
    const win = (Channel: string, EventID: number): Logsource => classifyLogsource(input('', '', { Channel, EventID }));
    expect(win('Security', 4688)).toEqual(ls('windows', 'process_creation', 'security'));
    expect(win('Security', 4624)).toEqual(ls('windows', '', 'security'));
    expect(win('System', 7045)).toEqual(ls('windows', '', 'system'));
    expect(win('Microsoft-Windows-PowerShell/Operational', 4104)).toEqual(ls('windows', 'ps_script', 'powershell'));
    expect(win('Microsoft-Windows-PowerShell/Operational', 4103)).toEqual(ls('windows', 'ps_module', 'powershell'));
    expect(win('Microsoft-Windows-PowerShell/Operational', 40961)).toEqual(ls('windows', '', 'powershell'));
    expect(win('PowerShellCore/Operational', 4104)).toEqual(ls('windows', 'ps_script', ''));
    expect(win('Windows PowerShell', 400)).toEqual(ls('windows', 'ps_classic_start', 'powershell-classic'));
    expect(win('Windows PowerShell', 800)).toEqual(ls('windows', 'ps_classic_script', 'powershell-classic'));
    expect(win('Microsoft-Windows-TaskScheduler/Operational', 106)).toEqual(ls('windows', '', 'taskscheduler'));
    expect(win('Microsoft-Windows-Windows Defender/Operational', 1116)).toEqual(ls('windows', '', 'windefend'));
    expect(win('Some-Vendor/Operational', 1)).toEqual(ls('windows', '', ''));
  });

  it('Sysmon for Linux', () => {
    const fields = { Channel: 'Linux-Sysmon/Operational', EventID: 1 };
    expect(classifyLogsource(input('sysmon', '', fields))).toEqual(ls('linux', 'process_creation', 'sysmon'));
  });

  it('a Channel alone, without an event id, is not a Windows event', () => {
    expect(classifyLogsource(input('slack-bot', 'posted', { Channel: '#general' }))).toEqual(NONE);
  });
});

describe('unclassified', () => {
  it('returns empty fields, in a new object each time', () => {
    const a = classifyLogsource(input('kernel', '[UFW BLOCK] IN=eth0 SRC=1.2.3.4'));
    expect(a).toEqual(NONE);
    a.product = 'changed';
    expect(classifyLogsource(input('kernel', '[UFW BLOCK] IN=eth0 SRC=1.2.3.4'))).toEqual(NONE);
    const b = classifyLogsource(input('sshd', 'x'));
    b.service = 'changed';
    expect(classifyLogsource(input('sshd', 'x'))).toEqual(ls('linux', '', 'sshd'));
  });
});

describe('user rules', () => {
  const rules: LogsourceRule[] = [
    { when: { app: '^sshd$' }, logsource: { product: 'linux', service: 'openssh' } },
    { when: { field: { Channel: 'Security', EventID: 4625 } }, logsource: { product: 'windows', category: 'logon_failure', service: 'security' } },
    { when: { app: '^myapp$', message: 'LOGIN FAILED' }, logsource: { product: 'myapp', service: 'auth' } },
    { when: { app: '^noisy$' }, logsource: {} },
    { when: { sourceType: 'otlp_http', app: '^checkout$' }, logsource: { category: 'application' } },
    { when: { app: '^CRON$' }, logsource: { product: 'linux', service: 'cron-custom' } },
  ];

  it('take precedence over the defaults', () => {
    expect(classifyLogsource(input('sshd', 'Failed password'), rules)).toEqual(ls('linux', '', 'openssh'));
    expect(classifyLogsource(input('', '', { Channel: 'Security', EventID: 4625 }), rules)).toEqual(
      ls('windows', 'logon_failure', 'security'),
    );
    // Case-insensitive app regex: CRON, cron.
    expect(classifyLogsource(input('cron', '(root) CMD (x)'), rules)).toEqual(ls('linux', '', 'cron-custom'));
  });

  it('fall through to the defaults when they do not match', () => {
    expect(classifyLogsource(input('sudo', '  a : USER=root ;'), rules)).toEqual(ls('linux', '', 'sudo'));
    expect(classifyLogsource(input('', '', { Channel: 'Security', EventID: 4624 }), rules)).toEqual(ls('windows', '', 'security'));
    expect(classifyLogsource(input('myapp', 'login failed'), rules)).toEqual(NONE); // the message regex is case-sensitive
    expect(classifyLogsource(input('myapp', 'user x LOGIN FAILED'), rules)).toEqual(ls('myapp', '', 'auth'));
  });

  it('an empty logsource leaves matching events unclassified', () => {
    expect(classifyLogsource(input('noisy', 'pam_unix(noisy:auth): x'), rules)).toEqual(NONE);
    expect(classifyLogsource(input('other', 'pam_unix(other:auth): x'), rules)).toEqual(ls('linux', '', 'auth'));
  });

  it('sourceType is matched exactly', () => {
    expect(classifyLogsource(input('checkout', 'order failed', {}, 'otlp_http'), rules)).toEqual(ls('', 'application', ''));
    expect(classifyLogsource(input('checkout', 'order failed', {}, 'syslog'), rules)).toEqual(NONE);
  });

  it('compiled once, reusable, with or without the defaults', () => {
    const compiled = compileLogsourceRules(rules);
    expect(compiled.size).toBe(rules.length + DEFAULT_LOGSOURCE_RULES.length);
    expect(classifyLogsource(input('sshd', 'x'), compiled)).toEqual(ls('linux', '', 'openssh'));
    expect(compiled.classify(input('sudo', 'x'))).toEqual(ls('linux', '', 'sudo'));
    const only = compileLogsourceRules(rules, { withDefaults: false });
    expect(only.size).toBe(rules.length);
    expect(only.classify(input('sudo', 'x'))).toEqual(NONE);
  });

  it('field values match as text or number, and * means present and not empty', () => {
    const star: LogsourceRule[] = [{ when: { field: { 'kubernetes.namespace': '*', code: 7 } }, logsource: { product: 'kubernetes' } }];
    const k8s = (fields: Fields): Logsource => classifyLogsource(input('', '', fields), star);
    expect(k8s({ 'kubernetes.namespace': 'prod', code: '7' })).toEqual(ls('kubernetes', '', ''));
    expect(k8s({ 'kubernetes.namespace': 'prod', code: 7 })).toEqual(ls('kubernetes', '', ''));
    expect(k8s({ 'kubernetes.namespace': '', code: 7 })).toEqual(NONE);
    expect(k8s({ 'kubernetes.namespace': 'prod', code: 8 })).toEqual(NONE);
    expect(k8s({ code: 7 })).toEqual(NONE);
  });
});

describe('rule errors', () => {
  function error(rules: LogsourceRule[]): LogsourceRuleError {
    try {
      compileLogsourceRules(rules);
    } catch (caught) {
      expect(caught).toBeInstanceOf(LogsourceRuleError);
      return caught as LogsourceRuleError;
    }
    throw new Error('expected a LogsourceRuleError');
  }

  it('a bad regex names the rule and the key', () => {
    const e = error([{ when: { app: '^ok$' }, logsource: {} }, { when: { message: '(unclosed' }, logsource: { product: 'x' } }]);
    expect(e.code).toBe('LOGSOURCE_RULE_INVALID');
    expect(e.index).toBe(1);
    expect(e.key).toBe('when.message');
    expect(e.message).toMatch(/^Invalid logsource rule #1 \(when\.message\): ./);
  });

  it('a rule without conditions is refused', () => {
    const e = error([{ when: {}, logsource: { product: 'linux' } }]);
    expect([e.index, e.key]).toEqual([0, 'when']);
    expect(e.message).toContain('would classify every event');
  });

  it('a field value that is neither text nor a number is refused', () => {
    const e = error([{ when: { field: { EventID: true as unknown as number } }, logsource: {} }]);
    expect([e.index, e.key]).toEqual([0, 'when.field.EventID']);
  });

  it('classifyLogsource with a bad raw list throws the same error', () => {
    expect(() => classifyLogsource(input('a', 'b'), [{ when: { app: '[' }, logsource: {} }])).toThrow(LogsourceRuleError);
  });

  it('classifies DNS resolver logs and structured DNS records as category dns', () => {
    const classify = (app: string, fields: Record<string, string> = {}, message = 'query[A] example.com from 10.0.0.2') =>
      classifyLogsource({ app, message, fields, sourceType: 'syslog' });
    expect(classify('dnsmasq')).toEqual({ product: '', category: 'dns', service: '' });
    expect(classify('', { query: 'pool.example.net' }, '{}')).toEqual({ product: '', category: 'dns', service: '' });
    expect(classify('', { query: '' }, '{}').category).toBe('');
  });
});
