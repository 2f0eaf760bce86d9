import { describe, expect, it } from 'vitest';
import type { EntityRef } from '../event.js';
import { extractEntities, MAX_ENTITIES_PER_TYPE, MAX_SCAN_LENGTH, type ExtractInput } from './extract.js';
import { entityId } from './identity.js';

/** `type=value` per ref, in output order: easy to read and to write out in full. */
function found(input: ExtractInput): string[] {
  return extractEntities(input).map((ref) => `${ref.type}=${ref.value}`);
}

function message(text: string, header: Omit<ExtractInput, 'message'> = {}): ExtractInput {
  return { message: text, ...header };
}

describe('the reference example', () => {
  it('sshd failure with its syslog header: ip, user, host, process with identity ids', () => {
    const refs = extractEntities({
      message: 'Failed password for root from 203.0.113.7 port 22 ssh2',
      host: 'web01',
      app: 'sshd',
      procId: '4242',
    });
    const expected: EntityRef[] = [
      { type: 'ip', value: '203.0.113.7', id: entityId('ip', '203.0.113.7') },
      { type: 'user', value: 'root', id: entityId('user', 'root') },
      { type: 'host', value: 'web01', id: entityId('host', 'web01') },
      { type: 'process', value: 'sshd:4242', id: entityId('process', 'sshd:4242') },
    ];
    expect(refs).toEqual(expected);
    // Python: uuid5(NS_IP, '203.0.113.7'), uuid5(NS_USER, 'root').
    expect(refs[0]?.id).toBe('00cd565b-0e19-52b5-9029-45d1ae8929be');
    expect(refs[1]?.id).toBe('efdd41e8-5ae9-5166-a9b5-ff6b48ca0c88');
  });
});

describe('real-world lines', () => {
  const cases: Array<[string, ExtractInput, string[]]> = [
    // sshd
    [
      'sshd invalid user',
      message('Failed password for invalid user admin from 198.51.100.23 port 51234 ssh2', { app: 'sshd', procId: '811' }),
      ['ip=198.51.100.23', 'user=admin', 'process=sshd:811'],
    ],
    [
      'sshd publickey (the SHA256 fingerprint is base64, not a hash)',
      message('Accepted publickey for deploy from 10.1.2.3 port 50122 ssh2: RSA SHA256:Qm9vYmFyYmF6cXV4'),
      ['ip=10.1.2.3', 'user=deploy'],
    ],
    ['sshd Invalid user', message('Invalid user oracle from 192.0.2.44 port 40022'), ['ip=192.0.2.44', 'user=oracle']],
    [
      'sshd authenticating user',
      message('Connection closed by authenticating user root 203.0.113.9 port 38112 [preauth]'),
      ['ip=203.0.113.9', 'user=root'],
    ],
    [
      'sshd disconnected invalid user',
      message('Disconnected from invalid user test 192.0.2.8 port 52000 [preauth]'),
      ['ip=192.0.2.8', 'user=test'],
    ],
    [
      'sshd over IPv6',
      message('Accepted password for bob from 2001:db8::25 port 22 ssh2'),
      ['ip=2001:0db8:0000:0000:0000:0000:0000:0025', 'user=bob'],
    ],
    [
      'sshd max auth attempts',
      message('error: maximum authentication attempts exceeded for invalid user admin from 203.0.113.50 port 4242 ssh2 [preauth]'),
      ['ip=203.0.113.50', 'user=admin'],
    ],
    ['sshd disconnect', message('Received disconnect from 203.0.113.7 port 22:11: Bye Bye [preauth]'), ['ip=203.0.113.7']],
    ['sshd listening on ::', message('Server listening on :: port 22.'), ['ip=0000:0000:0000:0000:0000:0000:0000:0000']],
    [
      'raw syslog line: name[pid] is a process',
      message('Nov 30 11:00:00 web01 sshd[4242]: Failed password for root from 203.0.113.7 port 22 ssh2'),
      ['ip=203.0.113.7', 'user=root', 'process=sshd:4242'],
    ],
    // PAM
    [
      'PAM auth failure (ruser= is not user=)',
      message('pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root'),
      ['ip=203.0.113.7', 'user=root'],
    ],
    [
      'PAM rhost name',
      message('pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=scanner.example.net'),
      ['host=scanner.example.net', 'domain=scanner.example.net'],
    ],
    [
      'PAM session opened',
      message('pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)'),
      ['user=alice'],
    ],
    [
      'PAM sudo session: target and invoking user',
      message('pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)'),
      ['user=root', 'user=alice'],
    ],
    // sudo, su, account tools
    [
      'sudo (header parsed: the message starts with the user)',
      message('    alice : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash', {
        app: 'sudo',
        procId: '9001',
      }),
      ['user=alice', 'user=root', 'file=/home/alice', 'file=/bin/bash', 'process=sudo:9001'],
    ],
    [
      'sudo (raw, with its tag)',
      message('sudo:    bob : TTY=pts/2 ; PWD=/root ; USER=root ; COMMAND=/usr/bin/id'),
      ['user=bob', 'user=root', 'file=/root', 'file=/usr/bin/id'],
    ],
    ['su', message('(to root) alice on pts/0', { app: 'su' }), ['user=root', 'user=alice', 'process=su']],
    [
      'useradd',
      message('new user: name=carol, UID=1002, GID=1002, home=/home/carol, shell=/bin/bash, from=/dev/pts/0', { app: 'useradd' }),
      ['user=carol', 'file=/home/carol', 'file=/bin/bash', 'file=/dev/pts/0', 'process=useradd'],
    ],
    ['passwd', message('pam_unix(passwd:chauthtok): password changed for carol'), ['user=carol']],
    ['userdel', message("delete user 'carol'", { app: 'userdel' }), ['user=carol', 'process=userdel']],
    ['systemd-logind', message('New session 12 of user alice.', { app: 'systemd-logind' }), ['user=alice', 'process=systemd-logind']],
    // web
    [
      'nginx combined log: the request target is not a file, a path in its query is',
      message(
        '203.0.113.9 - - [30/Nov/2026:11:00:00 +0000] "GET /wp-login.php?redirect=/etc/passwd HTTP/1.1" 404 153 ' +
          '"https://www.example.com/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"',
        { app: 'nginx' },
      ),
      ['ip=203.0.113.9', 'domain=www.example.com', 'file=/etc/passwd', 'process=nginx'],
    ],
    // auditd
    [
      'auditd SYSCALL with enriched names: comm + pid is the process, ppid is not',
      message(
        'type=SYSCALL msg=audit(1796036400.120:300): arch=c000003e syscall=59 success=yes exit=0 a0=55d0 items=2 ' +
          'ppid=2686 pid=3538 auid=1000 uid=0 gid=0 euid=0 tty=pts0 ses=3 comm="curl" exe="/usr/bin/curl" ' +
          'key="susp_activity"\u001dARCH=x86_64 SYSCALL=execve AUID="alice" UID="root" GID="root"',
      ),
      ['user=alice', 'user=root', 'file=/usr/bin/curl', 'process=curl:3538'],
    ],
    [
      'auditd EXECVE',
      message('type=EXECVE msg=audit(1796036400.120:300): argc=3 a0="curl" a1="-o" a2="/tmp/x"'),
      ['file=/tmp/x'],
    ],
    [
      'auditd PATH',
      message('type=PATH msg=audit(1796036400.120:301): item=0 name="/etc/shadow" inode=1234 dev=fd:00 mode=0100640'),
      ['file=/etc/shadow'],
    ],
    [
      'auditd USER_AUTH: quoted acct',
      message(
        "type=USER_AUTH msg=audit(1796036400.1:39): pid=4 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication " +
          'grantors=? acct="root" exe="/usr/sbin/sshd" hostname=203.0.113.7 addr=203.0.113.7 terminal=ssh res=failed\'',
      ),
      ['ip=203.0.113.7', 'user=root', 'file=/usr/sbin/sshd'],
    ],
    [
      'auditd USER_LOGIN: hex acct, IPv4-mapped addr, hostname=?',
      message(
        "type=USER_LOGIN msg=audit(1796036400.2:40): pid=4 uid=0 auid=4294967295 ses=4294967295 msg='op=login " +
          'acct=726F6F74 exe="/usr/sbin/sshd" hostname=? addr=::ffff:10.0.0.5 terminal=ssh res=failed\'',
      ),
      ['ip=10.0.0.5', 'user=root', 'file=/usr/sbin/sshd'],
    ],
    // other text
    ['a unit file is not a domain', message('Started cron.service - Regular background program processing daemon.'), []],
    [
      'labelled hashes',
      message(
        'md5=d41d8cd98f00b204e9800998ecf8427e sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 ' +
          'SHA1 da39a3ee5e6b4b0d3255bfef95601890afd80709',
      ),
      [
        'hash=md5:d41d8cd98f00b204e9800998ecf8427e',
        'hash=sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'hash=sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709',
      ],
    ],
    [
      'URL host and proxy, file names are not domains',
      message('Downloading https://evil-cdn.example.org/payload.sh to /tmp/payload.sh via proxy.corp.local:3128'),
      ['domain=evil-cdn.example.org', 'domain=proxy.corp.local', 'file=/tmp/payload.sh'],
    ],
    [
      'bind query log: mixed-case name lowercased',
      message('client 10.0.0.5#5353: query: Evil.Example.COM IN A +E(0)K (10.0.0.1)'),
      ['ip=10.0.0.5', 'ip=10.0.0.1', 'domain=evil.example.com'],
    ],
    [
      'not domains: config files, class names, keys, calls, versions',
      message('read /etc/nginx/nginx.conf; java.lang.NullPointerException at x.y(); source.ip=1 OpenSSH_9.6p1 v1.2.3.4 libc.so.6'),
      ['file=/etc/nginx/nginx.conf'],
    ],
    ['kernel line', message('[12345.678] nf_conntrack: table full, dropping packet', { app: 'kernel' }), ['process=kernel']],
    [
      'postfix',
      message('connect from mail.example.com[192.0.2.10]', { app: 'postfix/smtpd', procId: '1234' }),
      ['ip=192.0.2.10', 'domain=mail.example.com', 'process=postfix/smtpd:1234'],
    ],
    [
      'Unix paths: sentence dot and line number dropped, non-ASCII kept',
      message('see /var/log/auth.log. Then /app/main.py:42 and /home/jörg/notes.txt, /tmp/. and /srv/a+b@c~d'),
      ['file=/var/log/auth.log', 'file=/app/main.py', 'file=/home/jörg/notes.txt', 'file=/tmp/.', 'file=/srv/a+b@c~d'],
    ],
    [
      'host= with a port',
      message('db connection lost host=db01.internal:5432 user=app'),
      ['user=app', 'host=db01.internal', 'domain=db01.internal'],
    ],
    [
      'Windows paths in text: quoted with spaces, or bare',
      message('Blocked "C:\\Program Files\\Evil App\\run.exe" started by C:\\Windows\\System32\\cmd.exe.'),
      ['file=C:\\Program Files\\Evil App\\run.exe', 'file=C:\\Windows\\System32\\cmd.exe'],
    ],
  ];

  for (const [name, input, expected] of cases) {
    it(name, () => expect(found(input)).toEqual(expected));
  }
});

describe('structured fields', () => {
  it('Sysmon process creation: image, parent, user, host, Hashes, processes from Image + ProcessId', () => {
    const fields = {
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      EventID: 1,
      Image: 'C:\\Windows\\System32\\cmd.exe',
      ProcessId: 4242,
      ParentImage: 'C:\\Windows\\explorer.exe',
      ParentProcessId: '100',
      User: 'CORP\\Alice',
      Hashes:
        'SHA1=DA39A3EE5E6B4B0D3255BFEF95601890AFD80709,MD5=D41D8CD98F00B204E9800998ECF8427E,' +
        'SHA256=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855,IMPHASH=00000000000000000000000000000000',
      Computer: 'WS01.corp.local',
      CommandLine: 'cmd.exe /c whoami',
    };
    expect(found({ message: 'Process Create', fields })).toEqual([
      'user=corp:alice',
      'host=ws01.corp.local',
      'file=C:\\Windows\\System32\\cmd.exe',
      'file=C:\\Windows\\explorer.exe',
      'process=cmd.exe:4242',
      'process=explorer.exe:100',
      'hash=sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709',
      'hash=md5:d41d8cd98f00b204e9800998ecf8427e',
      'hash=sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'hash=imphash:00000000000000000000000000000000',
    ]);
  });

  it('Security 4624: user qualified by its domain field, "-" skipped, workstation and computer are hosts', () => {
    const fields = {
      Channel: 'Security',
      EventID: 4624,
      SubjectUserName: '-',
      TargetUserName: 'bob',
      TargetDomainName: 'CORP',
      IpAddress: '-',
      WorkstationName: 'WS02',
      Computer: 'dc01.corp.local',
    };
    expect(found({ message: 'An account was successfully logged on.', fields })).toEqual([
      'user=corp:bob',
      'host=ws02',
      'host=dc01.corp.local',
    ]);
  });

  it('Sysmon network and DNS events', () => {
    expect(
      found({
        message: 'Network connection detected',
        fields: { SourceIp: '10.0.0.7', DestinationIp: '198.51.100.80', DestinationHostname: 'c2.example.net', User: 'NT AUTHORITY\\SYSTEM' },
      }),
    ).toEqual(['ip=10.0.0.7', 'ip=198.51.100.80', 'user=nt authority:system', 'host=c2.example.net']);
    expect(
      found({ message: 'Dns query', fields: { QueryName: 'update.example.net', Image: 'C:\\Program Files\\App\\app.exe', ProcessId: '777' } }),
    ).toEqual(['domain=update.example.net', 'file=C:\\Program Files\\App\\app.exe', 'process=app.exe:777']);
  });

  it('ECS names; one IP in two spellings is one entity', () => {
    const fields = {
      'source.ip': '10.0.0.9',
      'destination.ip': '::ffff:10.0.0.9',
      'user.name': 'svc_backup',
      'host.name': 'backup01',
      'process.name': 'rsync',
      'process.pid': 555,
      'url.domain': 'mirror.example.org',
      'file.path': '/srv/backup/db.dump',
      sha256: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855',
    };
    expect(found({ message: 'conn', fields })).toEqual([
      'ip=10.0.0.9',
      'user=svc_backup',
      'host=backup01',
      'domain=mirror.example.org',
      'file=/srv/backup/db.dump',
      'process=rsync:555',
      'hash=sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ]);
  });

  it('evtx_dump prefixes, case-insensitive names, nil and non-text values skipped', () => {
    const fields = {
      'Event.EventData.Image': 'C:\\x\\y.exe',
      'Event.EventData.ProcessId': 12,
      'Event.System.Computer': 'PC1',
      SRC_IP: '1.2.3.4',
      UserName: 'Zed',
      hostname: '-',
      user: '',
      domain: 'unknown',
      md5: null,
      sha1: true,
      remote_addr: 'not-an-ip',
      client_ip: Number.NaN,
    };
    expect(found({ message: 'x', fields })).toEqual(['ip=1.2.3.4', 'user=zed', 'host=pc1', 'file=C:\\x\\y.exe', 'process=y.exe:12']);
  });

  it('a bare pid is dropped when the same pid has a name', () => {
    expect(found({ message: '', fields: { 'process.pid': 4242 }, app: 'sshd', procId: '4242' })).toEqual(['process=sshd:4242']);
    expect(found({ message: '', fields: { 'process.pid': 7 } })).toEqual(['process=7']);
  });

  it('fields come before the message in first-seen order', () => {
    expect(found({ message: 'from 192.0.2.1 and 192.0.2.2', fields: { src_ip: '192.0.2.2' } })).toEqual(['ip=192.0.2.2', 'ip=192.0.2.1']);
  });
});

describe('syslog header', () => {
  it('host as address becomes an ip; nil host and app skipped; pid without app is a bare pid', () => {
    expect(found({ message: '', host: '10.0.4.17', app: 'CRON', procId: '77' })).toEqual(['ip=10.0.4.17', 'process=CRON:77']);
    expect(found({ message: '', host: '-', app: '-', procId: '-' })).toEqual([]);
    expect(found({ message: '', procId: '88' })).toEqual(['process=88']);
    expect(found({ message: '', app: 'nginx', procId: 'worker' })).toEqual(['process=nginx']);
    expect(found({ message: '', host: 'Web01.Example.COM.' })).toEqual(['host=web01.example.com']);
  });
});

describe('dedup, order and caps', () => {
  it('groups by type in the order ip, user, host, domain, file, process, hash', () => {
    const refs = found({
      message:
        'sha1=da39a3ee5e6b4b0d3255bfef95601890afd80709 /tmp/a example.org user=eve 192.0.2.1 sshd[1] host=h1',
      host: 'web01',
    });
    expect(refs).toEqual([
      'ip=192.0.2.1',
      'user=eve',
      'host=web01',
      'host=h1',
      'domain=example.org',
      'file=/tmp/a',
      'process=sshd:1',
      'hash=sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709',
    ]);
  });

  it('deduplicates by canonical value, first seen first', () => {
    expect(found(message('user=Alice user=alice user=ALICE user=bob 10.0.0.1 10.0.0.1 ::ffff:10.0.0.1'))).toEqual([
      'ip=10.0.0.1',
      'user=alice',
      'user=bob',
    ]);
  });

  it(`caps each type at ${MAX_ENTITIES_PER_TYPE}, keeping the first`, () => {
    const ips = Array.from({ length: 100 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    const users = Array.from({ length: 100 }, (_, i) => `user=u${i}`);
    const refs = extractEntities(message(`${ips.join(' ')} ${users.join(' ')}`));
    const byType = (type: string): string[] => refs.filter((ref) => ref.type === type).map((ref) => ref.value);
    expect(byType('ip')).toEqual(ips.slice(0, MAX_ENTITIES_PER_TYPE));
    expect(byType('user')).toEqual(users.slice(0, MAX_ENTITIES_PER_TYPE).map((u) => u.slice(5)));
  });

  it('takes the cap from the caller (config parsing.max_entities_per_type)', () => {
    const text = 'user=a user=b user=c from 192.0.2.1 192.0.2.2 192.0.2.3';
    expect(found(message(text))).toHaveLength(6);
    expect(extractEntities(message(text), 2).map((ref) => ref.value)).toEqual(['192.0.2.1', '192.0.2.2', 'a', 'b']);
    expect(extractEntities(message(text), 1).map((ref) => ref.value)).toEqual(['192.0.2.1', 'a']);
  });

  it('returns a fresh array each call (the scratch lists are reused, not shared)', () => {
    const a = extractEntities(message('from 192.0.2.1'));
    const b = extractEntities(message('from 192.0.2.2'));
    expect(a.map((ref) => ref.value)).toEqual(['192.0.2.1']);
    expect(b.map((ref) => ref.value)).toEqual(['192.0.2.2']);
  });
});

describe('hostile input never throws and stays fast', () => {
  /** Runs once to warm up, then asserts the second run is under `ms`. */
  function fast(input: ExtractInput, ms: number): EntityRef[] {
    extractEntities(input);
    const start = performance.now();
    const refs = extractEntities(input);
    expect(performance.now() - start).toBeLessThan(ms);
    return refs;
  }

  it('a 1 MiB message is scanned only up to MAX_SCAN_LENGTH', () => {
    const tail = ' 192.0.2.99';
    const refs = fast(message('x'.repeat(1 << 20) + tail), 50);
    expect(refs).toEqual([]);
    const early = fast(message('y'.repeat(MAX_SCAN_LENGTH - tail.length) + tail + 'z'.repeat(1 << 20)), 50);
    expect(early.map((ref) => ref.value)).toEqual(['192.0.2.99']);
  });

  it('many IP-like tokens, repeats and near misses', () => {
    const same = fast(message('1.1.1.1 '.repeat(4000)), 50);
    expect(same.map((ref) => ref.value)).toEqual(['1.1.1.1']);
    const invalid = fast(message('999.1.1.1 01.2.3.4 1.2.3.4.5 '.repeat(1000)), 50);
    expect(invalid).toEqual([]);
    const dotted = fast(message('1.'.repeat(16_000)), 50);
    expect(dotted).toEqual([]);
  });

  it('pathological shapes for each pattern', () => {
    const shapes = [
      'a.'.repeat(16_000),
      'a-'.repeat(16_000),
      ':'.repeat(32_000),
      '1:'.repeat(16_000),
      'ffff:'.repeat(6_000),
      '/'.repeat(32_000),
      '/a'.repeat(16_000),
      'user='.repeat(6_000),
      'for user '.repeat(3_000),
      'Failed '.repeat(4_000),
      'host=a.'.repeat(4_000),
      'md5='.repeat(100) + 'a'.repeat(30_000),
      'x['.repeat(16_000),
      'sshd['.repeat(5_000) + '1]',
      'C:\\'.repeat(10_000),
      '"C:\\'.repeat(8_000),
      'comm="'.repeat(5_000),
      '\u0000'.repeat(32_000),
    ];
    for (const shape of shapes) expect(() => fast(message(shape), 100)).not.toThrow();
  });

  it('unicode, NUL and lone surrogates', () => {
    expect(found(message('user=jörg from 192.0.2.5 host=bücher.example'))).toEqual([
      'ip=192.0.2.5',
      'user=jörg',
      'host=bücher.example',
    ]);
    expect(found(message('user=ro\u0000ot user=\ud800x 10.0.0.1\u0000'))).toEqual(['ip=10.0.0.1', 'user=\ufffdx']);
    expect(found({ message: '😀'.repeat(20_000), host: '\ud800', app: 'a\u0000b' })).toEqual(['host=\ufffd']);
  });

  it('odd inputs: empty message, empty fields, absent message', () => {
    expect(extractEntities({ message: '' })).toEqual([]);
    expect(extractEntities({ message: '', fields: {} })).toEqual([]);
    expect(extractEntities({ message: undefined as unknown as string })).toEqual([]);
  });
});
