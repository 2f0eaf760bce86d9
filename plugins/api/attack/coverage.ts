/**
 * The ATT&CK coverage matrix (reference §11.2): the 14 tactics in kill-chain order, then unknown
 * tactic strings sorted; per tactic, its techniques with the alerts that fired on them and the
 * rules that cover them. Sub-techniques roll up to their parent. Rules come from the detection
 * engines (none until the Sigma engine exists, issue 4), alert counts from the store.
 */
import { ATTACK_VERSION, normalizeTactic, normalizeTechnique, tacticDisplayName, TACTICS } from '../../../main/core/attack.js';
import type { AttackCounts } from '../../../main/storage/alerts-repository.js';

/** A detection rule's ATT&CK tags, in any accepted spelling. */
export interface CoverageRule {
  name: string;
  tactics: string[];
  techniques: string[];
}

interface Cell {
  tactic: string;
  technique: string;
  alert_count: number;
  detected: boolean;
  rule_count: number;
  covered: boolean;
  rule_names: string[];
}

export function buildCoverage(counts: AttackCounts, rules: readonly CoverageRule[]) {
  const cells = new Map<string, Map<string, Cell>>();
  const cell = (tactic: string, technique: string): Cell => {
    let byTechnique = cells.get(tactic);
    if (!byTechnique) cells.set(tactic, (byTechnique = new Map()));
    let found = byTechnique.get(technique);
    if (!found) {
      found = { tactic, technique, alert_count: 0, detected: false, rule_count: 0, covered: false, rule_names: [] };
      byTechnique.set(technique, found);
    }
    return found;
  };

  for (const { tactic, technique, alertCount } of counts.cells) {
    const c = cell(tactic, technique);
    c.alert_count += alertCount;
    c.detected = c.alert_count > 0;
  }
  for (const { tactic } of counts.tactics) if (!cells.has(tactic)) cells.set(tactic, new Map());
  let taggedRules = 0;
  for (const rule of rules) {
    const tactics = [...new Set(rule.tactics.map((t) => normalizeTactic(t).name))];
    const techniques = [...new Set(rule.techniques.map((t) => normalizeTechnique(t).parent))];
    if (tactics.length + techniques.length > 0) taggedRules++;
    for (const tactic of tactics) {
      for (const technique of techniques) {
        const c = cell(tactic, technique);
        c.rule_count++;
        c.covered = true;
        c.rule_names.push(rule.name);
      }
    }
  }

  const unknown = [...cells.keys()].filter((t) => !normalizeTactic(t).known).sort();
  const tactics = [...TACTICS.map((t) => t.name), ...unknown].map((tactic) => ({
    tactic,
    tactic_display_name: tacticDisplayName(tactic),
    techniques: [...(cells.get(tactic)?.values() ?? [])].sort((a, b) => a.technique.localeCompare(b.technique)),
  }));
  const all = tactics.flatMap((t) => t.techniques);
  return {
    attack_version: ATTACK_VERSION,
    tactics,
    summary: {
      total_techniques_covered: new Set(all.filter((c) => c.covered).map((c) => c.technique)).size,
      total_techniques_detected: new Set(all.filter((c) => c.detected).map((c) => c.technique)).size,
      total_rules_with_attack_tags: taggedRules,
      total_alerts_matched: counts.alertsMatched,
    },
  };
}
