import { describe, expect, it } from 'vitest';
import { isTechniqueId, normalizeTactic, normalizeTechnique, tacticDisplayName, tacticOrder, TACTICS } from './attack.js';

describe('TACTICS', () => {
  it('lists the 14 Enterprise tactics in kill-chain order with their ids', () => {
    expect(TACTICS.map((t) => `${t.id} ${t.name}`)).toEqual([
      'TA0043 reconnaissance',
      'TA0042 resource_development',
      'TA0001 initial_access',
      'TA0002 execution',
      'TA0003 persistence',
      'TA0004 privilege_escalation',
      'TA0005 defense_evasion',
      'TA0006 credential_access',
      'TA0007 discovery',
      'TA0008 lateral_movement',
      'TA0009 collection',
      'TA0011 command_and_control',
      'TA0010 exfiltration',
      'TA0040 impact',
    ]);
  });

  it('shows a tactic as "Name (id)" and its kill-chain position', () => {
    expect(tacticDisplayName('discovery')).toBe('Discovery (TA0007)');
    expect(tacticDisplayName('command_and_control')).toBe('Command and Control (TA0011)');
    expect(tacticDisplayName('lurking')).toBe('lurking');
    expect(tacticOrder('reconnaissance')).toBe(0);
    expect(tacticOrder('impact')).toBe(13);
    expect(tacticOrder('lurking')).toBe(-1);
  });
});

describe('normalizeTactic', () => {
  it.each([
    'credential_access',
    'credential-access',
    'Credential Access',
    'TA0006',
    'ta0006',
    'attack.credential_access',
    'attack.credential-access',
    '  CREDENTIAL_ACCESS ',
  ])('%s → credential_access', (input) => {
    const result = normalizeTactic(input);
    expect(result).toMatchObject({ name: 'credential_access', known: true });
    expect(result.tactic?.id).toBe('TA0006');
  });

  it('maps multi-word names and every id', () => {
    expect(normalizeTactic('Command and Control').name).toBe('command_and_control');
    expect(normalizeTactic('lateral-movement').name).toBe('lateral_movement');
    for (const tactic of TACTICS) expect(normalizeTactic(tactic.id).name).toBe(tactic.name);
  });

  it("counts v19's stealth and defense-impairment as Defense Evasion, like defense-evasion and TA0005", () => {
    for (const input of ['attack.stealth', 'stealth', 'defense-impairment', 'attack.defense_impairment', 'defense-evasion', 'TA0005']) {
      expect(normalizeTactic(input)).toMatchObject({ name: 'defense_evasion', known: true });
    }
  });

  it('keeps an unknown tactic lowercased and flags it', () => {
    expect(normalizeTactic('Lurking Around')).toEqual({ name: 'lurking around', known: false });
    expect(normalizeTactic('TA9999')).toEqual({ name: 'ta9999', known: false });
  });
});

describe('normalizeTechnique', () => {
  it('upper-cases, validates and finds the parent', () => {
    expect(normalizeTechnique('t1110.001')).toEqual({ id: 'T1110.001', valid: true, parent: 'T1110' });
    expect(normalizeTechnique('T1059')).toEqual({ id: 'T1059', valid: true, parent: 'T1059' });
    expect(normalizeTechnique('attack.t1078.003')).toEqual({ id: 'T1078.003', valid: true, parent: 'T1078' });
  });

  it('flags malformed ids and keeps them as given', () => {
    expect(normalizeTechnique('T111')).toEqual({ id: 'T111', valid: false, parent: 'T111' });
    expect(normalizeTechnique('T1110.01')).toEqual({ id: 'T1110.01', valid: false, parent: 'T1110.01' });
    expect(normalizeTechnique('S0002').valid).toBe(false);
    expect(isTechniqueId('T1110.001')).toBe(true);
    expect(isTechniqueId('t1110')).toBe(false);
  });
});
