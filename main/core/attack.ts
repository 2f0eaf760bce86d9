/**
 * MITRE ATT&CK Enterprise vocabulary: the 14 tactics in kill-chain order, and the one place
 * where tactic and technique spellings are made canonical.
 *
 * The original stored whatever spelling each detector used (`credential_access` from Sigma,
 * `credential-access` from correlation rules, `TA0006` from IoC; reference §17 item 3), so the
 * same tactic was counted as several. Here every spelling maps to the underscore name; a
 * string that names no tactic is kept (lowercased) and flagged unknown, never dropped.
 * Techniques are ids only (`T1110`, `T1110.001`); this module carries no technique names.
 */

/** The ATT&CK release the tactic table follows (v19 tactic names are accepted, see below). */
export const ATTACK_VERSION = 'Enterprise v18.1';

export interface Tactic {
  /** ATT&CK tactic id, `TA0006`. */
  id: string;
  /** Canonical underscore name, `credential_access`. */
  name: string;
  /** As ATT&CK writes it, `Credential Access`. */
  displayName: string;
}

/** The Enterprise tactics, in kill-chain order. */
export const TACTICS: readonly Tactic[] = [
  { id: 'TA0043', name: 'reconnaissance', displayName: 'Reconnaissance' },
  { id: 'TA0042', name: 'resource_development', displayName: 'Resource Development' },
  { id: 'TA0001', name: 'initial_access', displayName: 'Initial Access' },
  { id: 'TA0002', name: 'execution', displayName: 'Execution' },
  { id: 'TA0003', name: 'persistence', displayName: 'Persistence' },
  { id: 'TA0004', name: 'privilege_escalation', displayName: 'Privilege Escalation' },
  { id: 'TA0005', name: 'defense_evasion', displayName: 'Defense Evasion' },
  { id: 'TA0006', name: 'credential_access', displayName: 'Credential Access' },
  { id: 'TA0007', name: 'discovery', displayName: 'Discovery' },
  { id: 'TA0008', name: 'lateral_movement', displayName: 'Lateral Movement' },
  { id: 'TA0009', name: 'collection', displayName: 'Collection' },
  { id: 'TA0011', name: 'command_and_control', displayName: 'Command and Control' },
  { id: 'TA0010', name: 'exfiltration', displayName: 'Exfiltration' },
  { id: 'TA0040', name: 'impact', displayName: 'Impact' },
];

const BY_NAME = new Map(TACTICS.map((t) => [t.name, t]));
const BY_ID = new Map(TACTICS.map((t) => [t.id, t]));

/**
 * ATT&CK v19 (which SigmaHQ's tags already use) split Defense Evasion into `stealth` and the new
 * `defense-impairment`; our table is v18.1, so both count as Defense Evasion (TA0005): the same
 * activity is counted once whichever version tagged it.
 */
const V19_ALIASES = new Map([
  ['stealth', 'defense_evasion'],
  ['defense_impairment', 'defense_evasion'],
]);

export interface NormalizedTactic {
  /** The canonical underscore name, or the input trimmed and lowercased when unknown. */
  name: string;
  known: boolean;
  /** The tactic, when known. */
  tactic?: Tactic;
}

/**
 * Any accepted spelling → the canonical tactic: `credential_access`, `credential-access`,
 * `Credential Access`, `TA0006`, `attack.credential_access` (a Sigma tag) all give
 * `credential_access`. Anything else is returned trimmed and lowercased with `known: false`.
 */
export function normalizeTactic(input: string): NormalizedTactic {
  const given = input.trim().toLowerCase();
  const bare = given.startsWith('attack.') ? given.slice('attack.'.length) : given;
  const key = bare.replace(/[\s-]+/g, '_');
  const tactic = /^ta\d{4}$/.test(bare) ? BY_ID.get(bare.toUpperCase()) : BY_NAME.get(V19_ALIASES.get(key) ?? key);
  return tactic ? { name: tactic.name, known: true, tactic } : { name: given, known: false };
}

/** `Discovery (TA0007)` for a known tactic; an unknown one is shown as stored. */
export function tacticDisplayName(name: string): string {
  const tactic = BY_NAME.get(name);
  return tactic ? `${tactic.displayName} (${tactic.id})` : name;
}

/** Position in the kill chain (0 = reconnaissance), or -1 for an unknown tactic. */
export function tacticOrder(name: string): number {
  const tactic = BY_NAME.get(name);
  return tactic ? TACTICS.indexOf(tactic) : -1;
}

const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;

export interface NormalizedTechnique {
  /** Upper-cased id, `T1110.001` (the input trimmed and upper-cased when invalid). */
  id: string;
  valid: boolean;
  /** The parent technique of a sub-technique (`T1110` for `T1110.001`); the id itself otherwise. */
  parent: string;
}

/** `t1110.001` or the Sigma tag `attack.t1110.001` → `T1110.001`, with its validity and parent. */
export function normalizeTechnique(input: string): NormalizedTechnique {
  let id = input.trim().toUpperCase();
  if (id.startsWith('ATTACK.')) id = id.slice('ATTACK.'.length);
  const valid = TECHNIQUE.test(id);
  return { id, valid, parent: valid ? id.slice(0, 5) : id };
}

/** True for a well-formed technique id such as `T1110` or `T1110.001` (exact case). */
export function isTechniqueId(id: string): boolean {
  return TECHNIQUE.test(id);
}
