import { describe, expect, it } from 'vitest';
import { anyOfLiterals } from './literal-prefilter.js';

describe('anyOfLiterals', () => {
  it('takes the longest required text of each top-level branch, lower-cased', () => {
    expect(anyOfLiterals('(authentication fail|login fail|Failed Password)')).toEqual(['authentication fail', 'login fail', 'failed password']);
    expect(anyOfLiterals('(accepted[^\\n]{0,200}(password|publickey)|login[^\\n]{0,200}success)')).toEqual(['accepted', 'success']);
    expect(anyOfLiterals('(\\bDST=|connect(ed|ion|ing)? to|established)')).toEqual(['dst=', 'connect', 'established']);
    expect(anyOfLiterals('(?:/etc/shadow)')).toEqual(['/etc/shadow']);
  });

  it('gives up when a branch has no sure text, or on inline groups it does not read', () => {
    expect(anyOfLiterals('(beacon|\\d{6,})')).toBeNull();
    expect(anyOfLiterals('(x|sudo)')).toBeNull();
    expect(anyOfLiterals('(?=lookahead)')).toBeNull();
    expect(anyOfLiterals('(a|b)[c|d]')).toBeNull();
  });
});
