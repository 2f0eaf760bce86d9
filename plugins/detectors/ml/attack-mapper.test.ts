import { describe, expect, it } from 'vitest';
import { AttackMapper, attackMapperFor, bundledAttackMappings } from './attack-mapper.js';

describe('AttackMapper', () => {
  it('maps templates with our bundled defaults, canonical tactics, first match winning', () => {
    const mapper = attackMapperFor([]);
    expect(mapper.size).toBe(bundledAttackMappings().length);
    expect(mapper.lookup('Failed password for <*> from <IP> port <NUM> ssh2')).toEqual({
      pattern: expect.any(RegExp),
      tactics: ['credential_access', 'initial_access'],
      techniques: ['T1110', 'T1078'],
    });
    // Both the lockout and the failure patterns match; the lockout one comes first.
    expect(mapper.lookup('error: maximum authentication attempts exceeded for invalid user <*>').techniques).toEqual(['T1110']);
    expect(mapper.lookup('<*> : TTY=<*> ; PWD=<*> ; USER=root ; COMMAND=<*>')).toEqual({ tactics: [], techniques: [] });
    expect(mapper.lookup('kernel: <*> SEGFAULT at <*>').tactics).toEqual(['execution']);
  });

  it('replaces the bundled list with configured mappings and normalises their spellings', () => {
    const mapper = attackMapperFor([{ pattern: 'disk (full|quota)', tactics: ['TA0040', 'Impact'], techniques: ['t1499.001'] }]);
    expect(mapper.size).toBe(1);
    expect(mapper.lookup('DISK FULL on /var')).toMatchObject({ tactics: ['impact'], techniques: ['T1499.001'] });
    expect(mapper.lookup('Failed password for root').tactics).toEqual([]);
  });

  it('keeps a tactic it does not know, lowercased, rather than dropping it', () => {
    expect(new AttackMapper([{ pattern: 'x', tactics: ['Made Up'], techniques: [] }]).lookup('x').tactics).toEqual(['made up']);
  });
});
