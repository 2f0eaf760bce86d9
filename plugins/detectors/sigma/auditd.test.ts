import { describe, expect, it } from 'vitest';
import { parseAuditd } from './auditd.js';

describe('parseAuditd', () => {
  it('reads an EXECVE record, decoding hex arguments, and builds the command line', () => {
    const record = parseAuditd('type=EXECVE msg=audit(1614012345.123:456): argc=3 a0="bash" a1="-c" a2=6563686F20226869207468657265220A');
    expect(record).toMatchObject({ type: 'EXECVE', argc: '3', a0: 'bash', a1: '-c', a2: 'echo "hi there"\n', '@cmdline': 'bash -c echo "hi there"\n', '@image': 'bash' });
  });

  it('keeps SYSCALL arguments as written and decodes hex paths', () => {
    const record = parseAuditd('type=SYSCALL msg=audit(1.2:3): arch=c000003e syscall=59 success=yes a0=55d5c0 ppid=1 pid=42 auid=1000 uid=0 comm="id" exe="/usr/bin/id" key="x"');
    expect(record).toMatchObject({ type: 'SYSCALL', a0: '55d5c0', syscall: '59', comm: 'id', exe: '/usr/bin/id', pid: '42', '@image': '/usr/bin/id' });
    expect(parseAuditd('type=PATH msg=audit(1.2:3): item=0 name=2F746D702F612062 nametype=CREATE')?.['name']).toBe('/tmp/a b');
    expect(parseAuditd('type=PROCTITLE msg=audit(1.2:3): proctitle=6E63002D6C0070')?.['proctitle']).toBe('nc -l p');
  });

  it('reads the inner fields of a user-space msg', () => {
    const record = parseAuditd("node=h type=USER_CMD msg=audit(1.2:3): pid=9 uid=1000 msg='cwd=\"/root\" cmd=636174202F6574632F736861646F77 terminal=pts/0 res=success'");
    expect(record).toMatchObject({ node: 'h', type: 'USER_CMD', pid: '9', cwd: '/root', cmd: 'cat /etc/shadow', res: 'success' });
  });

  it('returns null for other messages', () => {
    expect(parseAuditd('Accepted password for root')).toBeNull();
  });
});
