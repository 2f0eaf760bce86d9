import { describe, expect, it } from 'vitest';
import { validateRule } from '../detectors/sigma/uploads.js';
import { draftToYaml, type SigmaDraft } from './sigma-draft.js';

const context = {
  patternKey: 'sigma:ssh-brute-force:ip',
  logsource: { product: 'linux', category: '', service: 'sshd' },
  tactics: ['credential_access'],
  techniques: ['T1110.001'],
  date: '2026-11-30',
};
const draft: SigmaDraft = {
  title: 'SSH password guessing',
  description: 'Failed SSH logins.',
  level: 'high',
  keywords: ['Failed password'],
  fields: [{ field: 'User', value: 'root' }],
  falsepositives: [],
};

describe('draftToYaml', () => {
  it('writes a rule our Sigma compiler accepts, logsource and tags from the evidence, a stable id', () => {
    const yaml = draftToYaml(draft, context);
    expect(validateRule(yaml)).toMatchObject({ valid: true, title: 'SSH password guessing', logsource_key: ['linux', '', 'sshd'] });
    expect(yaml).toContain('condition: keywords and selection');
    expect(yaml).toContain('User|contains:');
    expect(yaml).toContain('- attack.t1110.001');
    expect(validateRule(draftToYaml({ ...draft, title: 'other' }, context)).rule_id).toBe(validateRule(yaml).rule_id);
  });

  it('leaves an empty detection for the compiler to reject, with a default title', () => {
    const yaml = draftToYaml({ ...draft, title: ' ', keywords: [' '], fields: [] }, context);
    expect(yaml).toContain('title: Suggested rule for sigma:ssh-brute-force:ip');
    expect(validateRule(yaml).valid).toBe(false);
  });
});
