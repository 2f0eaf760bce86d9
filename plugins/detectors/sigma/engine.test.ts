import { describe, expect, it } from 'vitest';
import type { Fields, Logsource, SeerflowEvent } from '../../../main/core/event.js';
import { SigmaEngine } from './engine.js';

function event(logsource: Partial<Logsource>, fields: Fields = {}, message = ''): SeerflowEvent {
  return {
    eventId: 'e1', timestampNs: 0n, observedNs: 0n, severity: 1, sourceType: 'import', sourceId: 't', host: 'h1', app: '', procId: '',
    msgId: '', message, templateId: -1, templateStr: '', templateParams: [], entities: [],
    logsource: { product: '', category: '', service: '', ...logsource }, fields, raw: '',
  };
}

function rule(id: string, logsource: string, detection = "    sel:\n        Image|endswith: '\\evil.exe'\n    condition: sel", extra = ''): string {
  return `title: Rule ${id}\nid: ${id}\nlevel: high\n${extra}logsource:\n${logsource}\ndetection:\n${detection}\n`;
}

const EVIL = { Image: 'C:\\evil.exe' };
const ids = (engine: SigmaEngine, e: SeerflowEvent) => engine.match(e).map((m) => m.rule.id).sort();

describe('logsource dispatch', () => {
  const engine = new SigmaEngine();
  engine.load(
    [
      rule('pc-win', '    product: windows\n    category: process_creation'),
      rule('pc-any', '    category: process_creation'),
      rule('win-sysmon', '    product: windows\n    service: sysmon'),
      rule('win-security', '    product: windows\n    service: security'),
      rule('reg-event', '    product: windows\n    category: registry_event'),
      rule('reg-set', '    product: windows\n    category: registry_set'),
      rule('everything', '    definition: none'),
    ].join('---\n'),
    'pack.yml',
  );

  it('applies a rule when each non-empty logsource field equals the event', () => {
    expect(ids(engine, event({ product: 'windows', category: 'process_creation', service: 'sysmon' }, EVIL))).toEqual(['everything', 'pc-any', 'pc-win', 'win-sysmon']);
    expect(ids(engine, event({ product: 'windows', category: 'process_creation', service: 'security' }, EVIL))).toEqual(['everything', 'pc-any', 'pc-win', 'win-security']);
    expect(ids(engine, event({ product: 'linux', category: 'process_creation' }, EVIL))).toEqual(['everything', 'pc-any']);
    expect(ids(engine, event({}, EVIL))).toEqual(['everything']);
  });

  it('treats registry_set and friends as registry_event too', () => {
    expect(ids(engine, event({ product: 'windows', category: 'registry_set', service: 'sysmon' }, EVIL))).toEqual(['everything', 'reg-event', 'reg-set', 'win-sysmon']);
    expect(ids(engine, event({ product: 'windows', category: 'registry_add', service: 'sysmon' }, EVIL))).toEqual(['everything', 'reg-event', 'win-sysmon']);
  });

  it('compares the event logsource case-insensitively', () => {
    expect(ids(engine, event({ product: 'Windows', category: 'Process_Creation' }, EVIL))).toEqual(['everything', 'pc-any', 'pc-win']);
  });

  it('returns the rule metadata and the event', () => {
    const e = event({ product: 'windows', category: 'process_creation' }, EVIL);
    const [match] = engine.match(e).filter((m) => m.rule.id === 'pc-win');
    expect(match?.event).toBe(e);
    expect(match?.rule).toMatchObject({ id: 'pc-win', title: 'Rule pc-win', level: 'high', tags: [], logsource: { product: 'windows', category: 'process_creation' }, source: { file: 'pack.yml' } });
    expect(match?.rule.source.yaml).toContain('id: pc-win');
  });
});

describe('rule management', () => {
  it('adds, disables, enables and removes rules by id', () => {
    const engine = new SigmaEngine();
    engine.load(rule('a', '    product: windows') + '---\n' + rule('b', '    product: windows'), 'p.yml');
    const e = event({ product: 'windows' }, EVIL);
    expect(ids(engine, e)).toEqual(['a', 'b']);
    expect(engine.disable('a')).toBe(true);
    expect(engine.isEnabled('a')).toBe(false);
    expect(ids(engine, e)).toEqual(['b']);
    expect(engine.enable('a')).toBe(true);
    expect(ids(engine, e)).toEqual(['a', 'b']);
    expect(engine.remove('b')).toBe(true);
    expect(engine.remove('b')).toBe(false);
    expect(ids(engine, e)).toEqual(['a']);
    expect(engine.disable('nope')).toBe(false);
    expect(engine.size).toBe(1);
    expect(engine.health()).toMatchObject({ rules: 1, enabledRules: 1 });
  });

  it('rejects a second rule with the same id, in the pack and across loads', () => {
    const engine = new SigmaEngine();
    const first = engine.load(rule('a', '    product: windows') + '---\n' + rule('a', '    product: linux'), 'p.yml');
    expect(first.rules.map((r) => r.logsource.product)).toEqual(['windows']);
    expect(first.errors[0]).toMatchObject({ code: 'DUPLICATE_ID', stage: 'schema', file: 'p.yml', line: 11, col: 1 });
    expect(engine.load(rule('a', '    product: macos'), 'q.yml').errors[0]?.code).toBe('DUPLICATE_ID');
    expect(() => engine.add(first.rules[0] as NonNullable<(typeof first.rules)[0]>)).toThrow(/already loaded/);
  });

  it('derives a stable id for a rule without one', () => {
    const text = 'title: No id\nlogsource: {product: windows}\ndetection: {sel: {Image: x}, condition: sel}\n';
    const a = new SigmaEngine().load(text, 'a.yml').rules[0]?.id;
    const b = new SigmaEngine().load(text, 'b.yml').rules[0]?.id;
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).toBe(b);
  });
});

describe('loading packs', () => {
  it('keeps loading after a bad rule and reports each error with its file and position', () => {
    const engine = new SigmaEngine();
    const result = engine.load(
      [
        rule('good', '    product: windows'),
        'title: bad yaml\nlogsource: [\n',
        rule('bad-modifier', '    product: windows', "    sel:\n        Image|endswithh: x\n    condition: sel"),
        rule('bad-condition', '    product: windows', '    sel:\n        Image: x\n    condition: sel and other'),
        rule('bad-regex', '    product: windows', "    sel:\n        Image|re: '(?<=a)b'\n    condition: sel"),
        rule('bad-cidr', '    product: windows', "    sel:\n        Ip|cidr: '10.0.0.0/33'\n    condition: sel"),
        rule('bad-of', '    product: windows', '    sel:\n        Image: x\n    condition: 1 of filter_*'),
        rule('single-all', '    product: windows', '    sel:\n        Image|contains|all: x\n    condition: sel'),
        rule('legacy', '    product: windows', '    sel:\n        Image: x\n    condition: sel | count() > 5'),
      ].join('---\n'),
      'pack.yml',
    );
    expect(result.rules.map((r) => r.id)).toEqual(['good']);
    expect(result.errors.map((e) => [e.code, e.stage, e.file, e.line, e.col, e.rule])).toEqual([
      ['YAML_SYNTAX', 'yaml', 'pack.yml', 13, 1, undefined],
      ['UNKNOWN_MODIFIER', 'compile', 'pack.yml', 21, 9, 'bad-modifier'],
      ['UNKNOWN_IDENTIFIER', 'compile', 'pack.yml', 32, 24, 'bad-condition'],
      ['INVALID_REGEX', 'compile', 'pack.yml', 41, 19, 'bad-regex'],
      ['INVALID_CIDR', 'compile', 'pack.yml', 51, 18, 'bad-cidr'],
      ['UNKNOWN_IDENTIFIER', 'compile', 'pack.yml', 62, 16, 'bad-of'],
      ['MODIFIER_CONFLICT', 'compile', 'pack.yml', 71, 9, 'single-all'],
      ['LEGACY_AGGREGATION', 'schema', 'pack.yml', 82, 20, undefined],
    ]);
    expect(String(result.errors[1])).toBe('[compile] pack.yml:21:9 unknown modifier "endswithh" (hint: did you mean "endswith"?)');
    expect(engine.size).toBe(1);
  });

  it('returns correlation and filter documents separately, raw, with their line', () => {
    const engine = new SigmaEngine();
    const result = engine.load(
      `${rule('base', '    product: windows')}---\ntitle: Many\ncorrelation:\n    type: event_count\n    rules: [base]\n    group-by: [Computer]\n    timespan: 5m\n    condition: {gte: 5}\n`,
      'corr.yml',
    );
    expect(result.rules.map((r) => r.id)).toEqual(['base']);
    expect(result.documents).toMatchObject([{ kind: 'correlation', file: 'corr.yml', line: 11, doc: { title: 'Many', correlation: { type: 'event_count', rules: ['base'] } } }]);
  });
});

describe('filters', () => {
  const base = rule('proc', '    product: windows\n    category: process_creation', "    sel:\n        Image|endswith: '\\rar.exe'\n    condition: sel", 'name: rar_usage\n');
  const filter = (rules: string, condition = 'not selection', logsource = '    category: process_creation\n    product: windows') =>
    `title: Admins\nlogsource:\n${logsource}\nfilter:\n    rules:\n${rules}\n    selection:\n        User|startswith: 'adm_'\n    condition: ${condition}\n`;
  const e = (user: string) => event({ product: 'windows', category: 'process_creation' }, { Image: 'C:\\rar.exe', User: user });

  it('AND-links the filter condition to the rules it names, loaded before or after it', () => {
    const before = new SigmaEngine();
    before.load(`${base}---\n${filter('        - proc')}`, 'p.yml');
    expect(ids(before, e('adm_bob'))).toEqual([]);
    expect(ids(before, e('bob'))).toEqual(['proc']);
    const after = new SigmaEngine();
    after.load(filter('        - rar_usage'), 'f.yml');
    after.load(base, 'r.yml');
    expect(ids(after, e('adm_bob'))).toEqual([]);
    expect(ids(after, e('bob'))).toEqual(['proc']);
  });

  it('leaves rules it does not name, or whose logsource differs, alone', () => {
    const other = new SigmaEngine();
    other.load(`${base}---\n${filter('        - some-other-rule')}`, 'p.yml');
    expect(ids(other, e('adm_bob'))).toEqual(['proc']);
    const linux = new SigmaEngine();
    linux.load(`${base}---\n${filter('        - proc', 'not selection', '    product: linux')}`, 'p.yml');
    expect(ids(linux, e('adm_bob'))).toEqual(['proc']);
  });

  it('reports a broken filter as an error', () => {
    const result = new SigmaEngine().load('title: f\nlogsource: {product: windows}\nfilter:\n    selection: {User: x}\n    condition: selection\n', 'f.yml');
    expect(result.errors[0]).toMatchObject({ code: 'MISSING_KEY', file: 'f.yml', line: 4, col: 5 });
  });
});

describe('prefilter', () => {
  it('never changes the result', () => {
    const text = [
      rule('contains', '    product: windows', "    sel:\n        CommandLine|contains: 'mimikatz'\n    condition: sel"),
      rule('not', '    product: windows', "    sel:\n        CommandLine|contains: 'mimikatz'\n    condition: not sel"),
      rule('short', '    product: windows', "    sel:\n        CommandLine|contains: 'ab'\n    condition: sel"),
      rule('regex', '    product: windows', "    sel:\n        CommandLine|re: 'sekurlsa::\\w+'\n    condition: sel"),
      rule('keyword', '    product: windows', "    kw:\n        - 'lsadump'\n    condition: kw"),
      rule('emoji', '    product: windows', "    sel:\n        CommandLine|contains: '\u{1F600}'\n    condition: sel"),
      rule('number', '    product: windows', '    sel:\n        EventID: 4688\n    condition: sel'),
    ].join('---\n');
    const on = new SigmaEngine();
    const off = new SigmaEngine({ prefilter: false });
    on.load(text, 'p.yml');
    off.load(text, 'p.yml');
    const events = [
      event({ product: 'windows' }, { CommandLine: 'run MimiKatz sekurlsa::logonpasswords' }),
      event({ product: 'windows' }, { CommandLine: 'cab' }, 'lsadump::sam'),
      event({ product: 'windows' }, { CommandLine: 'smile \u{1F600}', EventID: 4688 }),
      event({ product: 'windows' }, { CommandLine: 'nothing here', EventID: '4688' }),
      event({ product: 'windows' }, {}),
    ];
    for (const e of events) expect(ids(on, e)).toEqual(ids(off, e));
    expect(on.health().prefilterSkips).toBeGreaterThan(0);
  });

  it('builds the tables of known logsources ahead with prepare()', () => {
    const engine = new SigmaEngine();
    engine.load(rule('a', '    product: windows'), 'p.yml');
    expect(engine.health().prefilterLiterals).toBe(0);
    engine.prepare([{ product: 'windows', category: 'process_creation', service: 'sysmon' }]);
    expect(engine.health()).toMatchObject({ prefilterLiterals: 1 });
  });
});
