import { describe, expect, it } from 'vitest';
import { compileLogsourceRules } from '../../../main/core/logsource.js';
import { createNormalizer } from '../../../main/core/normalizer.js';
import { TemplateMiner } from '../../../main/core/template/template-miner.js';
import type { Fields, Logsource, SeerflowEvent } from '../../../main/core/event.js';
import { FieldMapper, FieldMappingError, fieldValue } from './field-mapping.js';

function event(logsource: Partial<Logsource>, fields: Fields = {}, message = ''): SeerflowEvent {
  return {
    eventId: 'e1', timestampNs: 0n, observedNs: 0n, severity: 1, sourceType: 'file', sourceId: 't', host: 'web01', app: 'nginx', procId: '',
    msgId: '', message, templateId: -1, templateStr: '', templateParams: [], entities: [],
    logsource: { product: '', category: '', service: '', ...logsource }, fields, raw: '',
  };
}

const SYSMON_PC = { product: 'windows', category: 'process_creation', service: 'sysmon' };

describe('fieldValue', () => {
  it('reads Windows fields flat or under evtx_dump and Winlogbeat prefixes', () => {
    expect(fieldValue(event(SYSMON_PC, { Image: 'a.exe' }), 'Image')).toBe('a.exe');
    expect(fieldValue(event(SYSMON_PC, { 'Event.EventData.Image': 'b.exe' }), 'Image')).toBe('b.exe');
    expect(fieldValue(event(SYSMON_PC, { 'winlog.event_data.Image': 'c.exe' }), 'Image')).toBe('c.exe');
    expect(fieldValue(event(SYSMON_PC, { 'Event.System.EventID': 1 }), 'EventID')).toBe(1);
    expect(fieldValue(event(SYSMON_PC, { 'Event.System.EventID.#text': 1 }), 'EventID')).toBe(1);
    expect(fieldValue(event(SYSMON_PC, { 'Event.System.Provider.#attributes.Name': 'Microsoft-Windows-Sysmon' }), 'Provider_Name')).toBe('Microsoft-Windows-Sysmon');
    expect(fieldValue(event(SYSMON_PC, { 'winlog.channel': 'Security' }), 'Channel')).toBe('Security');
    expect(fieldValue(event(SYSMON_PC, {}), 'Image')).toBeUndefined();
  });

  it('maps Security 4688 process fields', () => {
    const e = event({ product: 'windows', category: 'process_creation', service: 'security' }, { NewProcessName: 'C:\\x.exe', ParentProcessName: 'C:\\p.exe', ProcessId: '0x10', NewProcessId: '0x20' });
    expect(fieldValue(e, 'Image')).toBe('C:\\x.exe');
    expect(fieldValue(e, 'ParentImage')).toBe('C:\\p.exe');
    expect(fieldValue(e, 'ProcessId')).toBe('0x20');
    expect(fieldValue(e, 'ParentProcessId')).toBe('0x10');
  });

  it('maps Defender detections for antivirus rules', () => {
    const e = event({ product: 'windows', category: 'antivirus', service: 'windefend' }, { ThreatName: 'HackTool:Win32/Mimikatz', Path: 'C:\\m.exe' });
    expect(fieldValue(e, 'Signature')).toBe('HackTool:Win32/Mimikatz');
    expect(fieldValue(e, 'Filename')).toBe('C:\\m.exe');
  });

  it('parses web access lines for webserver rules, preferring structured fields', () => {
    const line = '1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] "GET /a/../../etc/passwd HTTP/1.1" 404 0 "-" "Nikto"';
    const web = event({ category: 'webserver' }, {}, line);
    expect(fieldValue(web, 'cs-uri-query')).toBe('/a/../../etc/passwd');
    expect(fieldValue(web, 'c-useragent')).toBe('Nikto');
    expect(fieldValue(web, 'sc-status')).toBe(404);
    expect(fieldValue(event({ category: 'webserver' }, { 'user_agent.original': 'curl' }, line), 'c-useragent')).toBe('curl');
    expect(fieldValue(event({ category: 'webserver' }, {}, 'not an access line'), 'cs-uri-query')).toBeUndefined();
  });

  it('parses proxy and DNS lines', () => {
    expect(fieldValue(event({ category: 'proxy' }, {}, '1.5 1 10.0.0.2 TCP_MISS/200 9 GET http://a.example/x.exe - DIRECT/1.1.1.1 -'), 'r-dns')).toBe('a.example');
    expect(fieldValue(event({ category: 'dns' }, {}, 'query[A] pool.example from 10.0.0.1'), 'query')).toBe('pool.example');
    expect(fieldValue(event({ category: 'dns' }, { 'dns.question.name': 'z.example' }), 'query')).toBe('z.example');
  });

  it('reads Linux process creation from auditd EXECVE records', () => {
    const e = event({ product: 'linux', category: 'process_creation', service: 'auditd' }, {}, 'type=EXECVE msg=audit(1.2:3): argc=2 a0="/usr/bin/whoami" a1="--help"');
    expect(fieldValue(e, 'Image')).toBe('/usr/bin/whoami');
    expect(fieldValue(e, 'CommandLine')).toBe('/usr/bin/whoami --help');
    expect(fieldValue(e, 'a1')).toBe('--help');
  });

  it('never returns inherited object members', () => {
    expect(fieldValue(event(SYSMON_PC, {}), 'constructor')).toBeUndefined();
    expect(fieldValue(event(SYSMON_PC, {}), '__proto__')).toBeUndefined();
  });
});

describe('FieldMapper', () => {
  it('tries the caller mappings first, including event parts', () => {
    const mapper = new FieldMapper([{ logsource: { product: 'acme' }, fields: { CommandLine: ['cmd', '$message'], Hostname: '$host' } }]);
    const e = event({ product: 'acme' }, { cmd: 'ls -la' }, 'raw text');
    expect(mapper.resolver(e.logsource, 'CommandLine')(e, {})).toBe('ls -la');
    expect(mapper.resolver(e.logsource, 'CommandLine')(event({ product: 'acme' }, {}, 'raw text'), {})).toBe('raw text');
    expect(mapper.resolver(e.logsource, 'Hostname')(e, {})).toBe('web01');
    expect(mapper.parsersFor({ product: '', category: 'webserver', service: '' })).toEqual(['web']);
  });

  it('rejects malformed mappings at construction, naming the culprit', () => {
    expect(() => new FieldMapper([{ logsource: {}, derive: 'xml' as never }])).toThrow(FieldMappingError);
    expect(() => new FieldMapper([{ logsource: {}, fields: { a: [] } }])).toThrow(/#0: field "a" has no target/);
    expect(() => new FieldMapper([{ logsource: {}, fields: { a: 'json:x' } }])).toThrow(/unknown parser "json"/);
    expect(() => new FieldMapper([{ logsource: {}, fields: { a: '$body' } }])).toThrow(/\$message/);
  });
});

describe('entity targets for plain Linux syslog', () => {
  it('reads src_ip, user and Computer of an sshd line from its entities and header', () => {
    const normalize = createNormalizer({
      maxMessageLength: 32_768,
      maxEntitiesPerType: 32,
      miner: new TemplateMiner(),
      logsourceRules: compileLogsourceRules([]),
    });
    const line = '<38>1 2026-11-30T10:00:00Z web01 sshd 42 - - Failed password for admin from 203.0.113.7 port 52144 ssh2';
    const event = normalize({ sourceType: 'syslog', sourceId: 'syslog', receivedNs: 1n, line }, 1n);
    expect(fieldValue(event, 'src_ip')).toBe('203.0.113.7');
    expect(fieldValue(event, 'user')).toBe('admin');
    expect(fieldValue(event, 'Computer')).toBe('web01');
  });
});
