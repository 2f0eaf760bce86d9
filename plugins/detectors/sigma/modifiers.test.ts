import { describe, expect, it } from 'vitest';
import type { Fields, SeerflowEvent } from '../../../main/core/event.js';
import { SigmaEngine, type SigmaEngineOptions } from './engine.js';
import { planModifiers } from './modifiers.js';

/** A Windows process_creation event with these fields. */
function event(fields: Fields, message = ''): SeerflowEvent {
  return {
    eventId: 'e1', timestampNs: 0n, observedNs: 0n, severity: 1, sourceType: 'import', sourceId: 't', host: '', app: '', procId: '',
    msgId: '', message, templateId: -1, templateStr: '', templateParams: [], entities: [],
    logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' }, fields, raw: '',
  };
}

/** An engine holding one rule whose `sel` selection is `selection` (YAML, indented 8 spaces). */
function ruleWith(selection: string, options: SigmaEngineOptions = {}, condition = 'sel'): SigmaEngine {
  const engine = new SigmaEngine(options);
  const { errors } = engine.load(
    `title: t\nid: r1\nlogsource:\n    product: windows\n    category: process_creation\ndetection:\n    sel:\n${selection}\n    condition: ${condition}\n`,
    'rule.yml',
  );
  if (errors[0]) throw errors[0];
  return engine;
}

function fires(engine: SigmaEngine, fields: Fields, message = ''): boolean {
  return engine.match(event(fields, message)).length === 1;
}

describe('plain values', () => {
  it('match the whole value, case-insensitively', () => {
    const engine = ruleWith("        Image: 'C:\\Windows\\System32\\cmd.exe'");
    expect(fires(engine, { Image: 'c:\\windows\\system32\\CMD.EXE' })).toBe(true);
    expect(fires(engine, { Image: 'C:\\Windows\\System32\\cmd.exe ' })).toBe(false);
    expect(fires(engine, {})).toBe(false);
  });

  it('compare numbers as numbers and as text', () => {
    const engine = ruleWith('        EventID: 4688');
    expect(fires(engine, { EventID: 4688 })).toBe(true);
    expect(fires(engine, { EventID: '4688' })).toBe(true);
    expect(fires(engine, { EventID: 46880 })).toBe(false);
  });

  it('OR-link list values and AND-link map keys', () => {
    const engine = ruleWith("        Image|endswith:\n            - '\\a.exe'\n            - '\\b.exe'\n        User: bob");
    expect(fires(engine, { Image: 'C:\\b.exe', User: 'BOB' })).toBe(true);
    expect(fires(engine, { Image: 'C:\\c.exe', User: 'bob' })).toBe(false);
    expect(fires(engine, { Image: 'C:\\a.exe', User: 'alice' })).toBe(false);
  });

  it('treat * and ? as wildcards and honour escapes', () => {
    const engine = ruleWith("        CommandLine:\n            - 'run ?? *now'\n            - 'star \\* only'");
    expect(fires(engine, { CommandLine: 'run ab right now' })).toBe(true);
    expect(fires(engine, { CommandLine: 'run a right now' })).toBe(false);
    expect(fires(engine, { CommandLine: 'star * only' })).toBe(true);
    expect(fires(engine, { CommandLine: 'star x only' })).toBe(false);
  });

  it('match null to an absent or null field, and an empty string only to an empty value', () => {
    const nullRule = ruleWith('        ParentUser: null');
    expect(fires(nullRule, {})).toBe(true);
    expect(fires(nullRule, { ParentUser: null })).toBe(true);
    expect(fires(nullRule, { ParentUser: '' })).toBe(false);
    const emptyRule = ruleWith("        ParentUser: ''");
    expect(fires(emptyRule, { ParentUser: '' })).toBe(true);
    expect(fires(emptyRule, {})).toBe(false);
  });

  it('group long lists into set lookups without changing the result', () => {
    const values = Array.from({ length: 40 }, (_, i) => `            - 'tool${i}.exe'`).join('\n');
    const engine = ruleWith(`        Image|endswith:\n${values}`);
    expect(fires(engine, { Image: 'C:\\x\\TOOL17.exe' })).toBe(true);
    expect(fires(engine, { Image: 'C:\\x\\tool40.exe' })).toBe(false);
    const contains = ruleWith(`        CommandLine|contains:\n${values}`);
    expect(fires(contains, { CommandLine: 'run tool39.exe now' })).toBe(true);
    expect(fires(contains, { CommandLine: 'run tool.exe now' })).toBe(false);
    const startswith = ruleWith(`        CommandLine|startswith:\n${values}`);
    expect(fires(startswith, { CommandLine: 'tool3.exe /x' })).toBe(true);
    expect(fires(startswith, { CommandLine: ' tool3.exe' })).toBe(false);
  });
});

describe('generic modifiers', () => {
  it('contains, startswith, endswith', () => {
    expect(fires(ruleWith("        CommandLine|contains: ' -enc '"), { CommandLine: 'powershell -ENC abc' })).toBe(true);
    expect(fires(ruleWith("        CommandLine|startswith: 'powershell'"), { CommandLine: 'PowerShell -x' })).toBe(true);
    expect(fires(ruleWith("        CommandLine|startswith: 'powershell'"), { CommandLine: 'x powershell' })).toBe(false);
    expect(fires(ruleWith("        Image|endswith: '\\cmd.exe'"), { Image: 'C:\\cmd.exe' })).toBe(true);
    expect(fires(ruleWith("        Image|endswith: '\\cmd.exe'"), { Image: 'C:\\cmd.exe.bak' })).toBe(false);
  });

  it('all: every value must match', () => {
    const engine = ruleWith("        CommandLine|contains|all:\n            - '/user'\n            - '/priv'");
    expect(fires(engine, { CommandLine: 'whoami /priv /user' })).toBe(true);
    expect(fires(engine, { CommandLine: 'whoami /priv' })).toBe(false);
  });

  it('exists: true and false', () => {
    expect(fires(ruleWith('        OriginalFileName|exists: true'), { OriginalFileName: '' })).toBe(true);
    expect(fires(ruleWith('        OriginalFileName|exists: true'), {})).toBe(false);
    expect(fires(ruleWith('        OriginalFileName|exists: false'), {})).toBe(true);
    expect(fires(ruleWith('        OriginalFileName|exists: false'), { OriginalFileName: null })).toBe(false);
  });

  it('cased: exact case only', () => {
    const engine = ruleWith("        CommandLine|contains|cased: 'Invoke-Mimikatz'");
    expect(fires(engine, { CommandLine: 'x Invoke-Mimikatz' })).toBe(true);
    expect(fires(engine, { CommandLine: 'x invoke-mimikatz' })).toBe(false);
  });

  it('neq: a present value that equals none of the values', () => {
    const engine = ruleWith("        IntegrityLevel|neq:\n            - System\n            - High");
    expect(fires(engine, { IntegrityLevel: 'Medium' })).toBe(true);
    expect(fires(engine, { IntegrityLevel: 'system' })).toBe(false);
    expect(fires(engine, {})).toBe(false);
    expect(fires(ruleWith('        ProcessId|neq: 4'), { ProcessId: 8 })).toBe(true);
  });
});

describe('re', () => {
  it('is case-sensitive unless i, and supports m and s', () => {
    expect(fires(ruleWith("        CommandLine|re: 'Invoke-\\w+'"), { CommandLine: 'x Invoke-Foo' })).toBe(true);
    expect(fires(ruleWith("        CommandLine|re: 'Invoke-\\w+'"), { CommandLine: 'x invoke-foo' })).toBe(false);
    expect(fires(ruleWith("        CommandLine|re|i: 'Invoke-\\w+'"), { CommandLine: 'x invoke-foo' })).toBe(true);
    expect(fires(ruleWith("        CommandLine|re: '^b$'"), { CommandLine: 'a\nb\nc' })).toBe(false);
    expect(fires(ruleWith("        CommandLine|re|m: '^b$'"), { CommandLine: 'a\nb\nc' })).toBe(true);
    expect(fires(ruleWith("        CommandLine|re: 'a.c'"), { CommandLine: 'a\nc' })).toBe(false);
    expect(fires(ruleWith("        CommandLine|re|s: 'a.c'"), { CommandLine: 'a\nc' })).toBe(true);
  });

  it('finds the pattern anywhere unless anchored', () => {
    expect(fires(ruleWith("        CommandLine|re: '\\d{3}'"), { CommandLine: 'ab1234' })).toBe(true);
    expect(fires(ruleWith("        CommandLine|re: '^\\d{3}$'"), { CommandLine: 'ab1234' })).toBe(false);
  });

  it('runs a ReDoS-shaped pattern over a long value in linear time', () => {
    const engine = ruleWith("        CommandLine|re: '^(a+)+$'");
    const hostile = `${'a'.repeat(100_000)}!`;
    const start = performance.now();
    expect(fires(engine, { CommandLine: hostile })).toBe(false);
    expect(performance.now() - start).toBeLessThan(1000);
    const nested = ruleWith("        CommandLine|re: '(x+x+)+y'");
    const start2 = performance.now();
    expect(fires(nested, { CommandLine: 'x'.repeat(50_000) })).toBe(false);
    expect(performance.now() - start2).toBeLessThan(1000);
  });

  it('skips the regex when the value is shorter than any match', () => {
    const engine = ruleWith("        CommandLine|re: '.{1000,}'");
    expect(fires(engine, { CommandLine: 'x'.repeat(999) })).toBe(false);
    expect(fires(engine, { CommandLine: 'x'.repeat(1000) })).toBe(true);
  });
});

describe('cidr', () => {
  it('matches IPv4 and IPv6 ranges', () => {
    const engine = ruleWith("        DestinationIp|cidr:\n            - '10.0.0.0/8'\n            - '192.168.1.0/25'\n            - 'fd00::/8'");
    expect(fires(engine, { DestinationIp: '10.200.3.4' })).toBe(true);
    expect(fires(engine, { DestinationIp: '192.168.1.127' })).toBe(true);
    expect(fires(engine, { DestinationIp: '192.168.1.128' })).toBe(false);
    expect(fires(engine, { DestinationIp: 'fd12:3456::1' })).toBe(true);
    expect(fires(engine, { DestinationIp: 'fe80::1' })).toBe(false);
    expect(fires(engine, { DestinationIp: '::ffff:10.1.2.3' })).toBe(true);
    expect(fires(engine, { DestinationIp: 'not an ip' })).toBe(false);
  });
});

describe('encodings', () => {
  it('base64 encodes the value', () => {
    const engine = ruleWith("        CommandLine|base64|contains: 'http://'");
    expect(fires(engine, { CommandLine: 'echo aHR0cDovLw== | base64 -d' })).toBe(true);
  });

  it('base64offset finds the value at any byte offset', () => {
    const engine = ruleWith("        CommandLine|base64offset|contains: '/bin/bash'");
    for (const prefix of ['', 'a', 'ab']) {
      const encoded = Buffer.from(`${prefix}/bin/bash -i`).toString('base64');
      expect(fires(engine, { CommandLine: `echo ${encoded} | base64 -d | sh` })).toBe(true);
    }
    expect(fires(engine, { CommandLine: Buffer.from('/bin/sh').toString('base64') })).toBe(false);
  });

  it('wide / utf16le then base64offset finds PowerShell -enc payloads', () => {
    const engine = ruleWith("        CommandLine|wide|base64offset|contains: 'IEX'");
    const payload = Buffer.from('$x=1; IEX (New-Object Net.WebClient)', 'utf16le').toString('base64');
    expect(fires(engine, { CommandLine: `powershell -enc ${payload}` })).toBe(true);
  });

  it('utf16le, utf16be and utf16 (with BOM) produce the expected bytes', () => {
    expect(fires(ruleWith("        Data|utf16le: 'cmd'"), { Data: 'c\u0000m\u0000d\u0000' })).toBe(true);
    expect(fires(ruleWith("        Data|utf16be: 'cmd'"), { Data: '\u0000c\u0000m\u0000d' })).toBe(true);
    expect(fires(ruleWith("        Data|utf16: 'cmd'"), { Data: '\u00ff\u00fec\u0000m\u0000d\u0000' })).toBe(true);
    expect(fires(ruleWith("        Data|utf16|base64: 'cmd'"), { Data: Buffer.from([0xff, 0xfe, 0x63, 0, 0x6d, 0, 0x64, 0]).toString('base64') })).toBe(true);
  });

  it('windash accepts every dash form for flags', () => {
    const engine = ruleWith("        CommandLine|windash|contains: ' -exec bypass'");
    for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) {
      expect(fires(engine, { CommandLine: `powershell ${dash}exec bypass` })).toBe(true);
    }
    expect(fires(engine, { CommandLine: 'powershell +exec bypass' })).toBe(false);
  });
});

describe('numeric and time modifiers', () => {
  it('lt, lte, gt, gte compare numbers', () => {
    expect(fires(ruleWith('        DestinationPort|lt: 1024'), { DestinationPort: 80 })).toBe(true);
    expect(fires(ruleWith('        DestinationPort|lt: 1024'), { DestinationPort: 1024 })).toBe(false);
    expect(fires(ruleWith('        DestinationPort|lte: 1024'), { DestinationPort: '1024' })).toBe(true);
    expect(fires(ruleWith('        DestinationPort|gt: 1024'), { DestinationPort: 1025 })).toBe(true);
    expect(fires(ruleWith('        DestinationPort|gte: 1024'), { DestinationPort: 1023 })).toBe(false);
    expect(fires(ruleWith('        DestinationPort|gte: 1024'), { DestinationPort: 'high' })).toBe(false);
  });

  it('minute, hour, day, week, month, year read the date in UTC', () => {
    const at = { UtcTime: '2024-12-30 23:45:10.123' }; // a Monday, ISO week 1 of 2025
    expect(fires(ruleWith('        UtcTime|minute: 45'), at)).toBe(true);
    expect(fires(ruleWith('        UtcTime|hour: 23'), at)).toBe(true);
    expect(fires(ruleWith('        UtcTime|day: 30'), at)).toBe(true);
    expect(fires(ruleWith('        UtcTime|week: 1'), at)).toBe(true);
    expect(fires(ruleWith('        UtcTime|month: 12'), at)).toBe(true);
    expect(fires(ruleWith('        UtcTime|year: 2024'), at)).toBe(true);
    expect(fires(ruleWith('        UtcTime|hour|gte: 22'), at)).toBe(true);
    expect(fires(ruleWith('        UtcTime|hour|lt: 6'), at)).toBe(false);
    expect(fires(ruleWith('        UtcTime|hour: 22'), { UtcTime: '2024-12-30T23:45:10+01:00' })).toBe(true);
  });
});

describe('fieldref and expand', () => {
  it('fieldref compares with another field of the event', () => {
    const engine = ruleWith('        TargetFilename|fieldref: Image');
    expect(fires(engine, { TargetFilename: 'C:\\x.exe', Image: 'c:\\X.EXE' })).toBe(true);
    expect(fires(engine, { TargetFilename: 'C:\\x.exe', Image: 'C:\\y.exe' })).toBe(false);
    expect(fires(engine, { TargetFilename: 'C:\\x.exe' })).toBe(false);
    expect(fires(ruleWith('        User|fieldref|neq: ParentUser'), { User: 'a', ParentUser: 'b' })).toBe(true);
    expect(fires(ruleWith('        CommandLine|fieldref|contains: Image'), { CommandLine: '"C:\\a.exe" /x', Image: 'C:\\a.exe' })).toBe(true);
  });

  it('expand replaces placeholders with configured values', () => {
    const engine = ruleWith("        User|expand: '%Administrators%'", { placeholders: { Administrators: ['admin', 'root*'] } });
    expect(fires(engine, { User: 'Admin' })).toBe(true);
    expect(fires(engine, { User: 'rootkit' })).toBe(true);
    expect(fires(engine, { User: 'bob' })).toBe(false);
    const escaped = ruleWith("        User|expand: '\\%plain%Servers%'", { placeholders: { Servers: ['srv1'] } });
    expect(fires(escaped, { User: '%plainsrv1' })).toBe(true);
  });

  it('an unconfigured placeholder matches nothing with a warning, or rejects the rule when asked', () => {
    const engine = new SigmaEngine();
    const text = "title: t\nlogsource: {product: windows}\ndetection:\n    sel:\n        User|expand: '%x%'\n    condition: sel\n";
    const loaded = engine.load(text, 'r.yml');
    expect(loaded.errors).toEqual([]);
    expect(loaded.warnings[0]).toMatchObject({ code: 'PLACEHOLDER_UNDEFINED', line: 5, col: 22 });
    expect(engine.match(event({ User: '%x%' }))).toEqual([]);
    const strict = new SigmaEngine({ unknownPlaceholder: 'reject' }).load(text, 'r.yml');
    expect(strict.rules).toEqual([]);
    expect(strict.errors[0]).toMatchObject({ code: 'PLACEHOLDER_UNDEFINED', stage: 'compile', hint: 'configure placeholders.x' });
  });
});

describe('keywords', () => {
  it('search the message and every field value', () => {
    const engine = ruleWith("        - 'mimikatz'\n        - 'sekurlsa::'");
    expect(fires(engine, {}, 'Running MIMIKATZ now')).toBe(true);
    expect(fires(engine, { CommandLine: 'x sekurlsa::logonpasswords' })).toBe(true);
    expect(fires(engine, { CommandLine: 'harmless' }, 'also harmless')).toBe(false);
  });

  it('|all requires every keyword', () => {
    const engine = ruleWith("        '|all':\n            - 'OabVirtualDirectory'\n            - ' -ExternalUrl '");
    expect(fires(engine, {}, 'Set-OabVirtualDirectory -ExternalUrl http://x')).toBe(true);
    expect(fires(engine, {}, 'Set-OabVirtualDirectory')).toBe(false);
  });
});

describe('modifier chains that make no sense', () => {
  const at = { line: 3, col: 9 };
  const cases: Array<[string[], string, RegExp]> = [
    [['contains', 'startswith'], 'MODIFIER_CONFLICT', /cannot be combined/],
    [['re', 'contains'], 'MODIFIER_CONFLICT', /cannot be combined/],
    [['i'], 'MODIFIER_CONFLICT', /sub-modifier of "re"/],
    [['cidr', 'base64'], 'MODIFIER_CONFLICT', /only applies to plain string/],
    [['exists', 'all'], 'MODIFIER_CONFLICT', /takes no other modifier/],
    [['gt', 'lt'], 'MODIFIER_CONFLICT', /cannot be combined/],
    [['contains', 'contains'], 'MODIFIER_CONFLICT', /given twice/],
    [['contain'], 'UNKNOWN_MODIFIER', /unknown modifier "contain"/],
    [[''], 'UNKNOWN_MODIFIER', /empty modifier/],
  ];
  it.each(cases)('%j', (modifiers, code, message) => {
    expect(() => planModifiers(modifiers, at)).toThrow(message);
    try {
      planModifiers(modifiers, at);
    } catch (error) {
      expect(error).toMatchObject({ code, stage: 'compile', line: 3, col: 9 });
    }
  });

  it('suggests the closest known modifier', () => {
    try {
      planModifiers(['startwith'], at);
    } catch (error) {
      expect((error as { hint: string }).hint).toBe('did you mean "startswith"?');
    }
  });
});
