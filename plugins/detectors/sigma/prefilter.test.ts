import { describe, expect, it } from 'vitest';
import { MAX_LITERAL_LENGTH, Prefilter, isFilterable, literalKey } from './prefilter.js';

describe('Prefilter', () => {
  it('lets through rules whose clauses all hit, and rules it cannot judge', () => {
    const prefilter = new Prefilter([
      [['mimikatz']],
      [['lsadump', 'sekurlsa']],
      [],
      [['ab']],
      [['\u{1F600}']],
      [['sekurlsa'], ['logon']],
      [['sekurlsa'], ['nowhere']],
    ]);
    prefilter.begin();
    prefilter.scan('run sekurlsa::logonpasswords');
    expect([0, 1, 2, 3, 4, 5, 6].map((rule) => prefilter.passes(rule))).toEqual([false, true, true, true, false, true, false]);
    prefilter.begin();
    prefilter.scan('x \u{1F600}');
    expect([0, 1, 2, 3, 4, 5, 6].map((rule) => prefilter.passes(rule))).toEqual([false, false, true, true, true, false, false]);
  });

  it('files long literals under their last characters and ignores clauses too short to filter', () => {
    expect(literalKey('\\windows\\system32\\cmd.exe')).toBe('\\windows\\system32\\cmd.exe'.slice(-MAX_LITERAL_LENGTH));
    expect(isFilterable([['abc']])).toBe(true);
    expect(isFilterable([['ab']])).toBe(false);
    expect(isFilterable([['ab'], ['abc', 'xyz']])).toBe(true);
    expect(isFilterable([['\u00e9']])).toBe(true);
    expect(isFilterable([])).toBe(false);
  });
});
