/**
 * Checks between correlation rules of one pack, after each parsed on its own: duplicate ids and
 * names, references that lead nowhere, and chains that loop. Partial success is a value: the good
 * rules come back with one `link` error per rejected rule, so one bad rule does not sink the pack.
 *
 * References resolve by id or name in one namespace shared by detection and correlation rules
 * (the spec lets `rules` use either). Unresolved references are only reported when the caller
 * passes the pack's detection rules; without them a reference may name a detection rule this
 * module cannot see. Pure: no I/O.
 */
import { CorrelationRuleError, type CorrelationErrorCode, type CorrelationRule } from './correlation-parser.js';

/** A detection rule of the same pack, as far as references go. */
export interface DetectionRuleRef {
  id: string;
  name?: string;
}

export interface CorrelationLinkResult {
  /** The usable rules, in input order. */
  rules: CorrelationRule[];
  /** One error per rejected rule, in input order of the rejected rules. */
  errors: CorrelationRuleError[];
}

/**
 * Keep the rules that can run together. A rule is rejected when its id or name is already taken
 * (the first one wins), when it is part of a reference cycle, when it references a rejected
 * correlation, or, given `detectionRules`, when a reference matches no rule at all.
 */
export function linkCorrelationRules(
  rules: readonly CorrelationRule[],
  detectionRules?: Iterable<DetectionRuleRef>,
): CorrelationLinkResult {
  const rejected = new Map<CorrelationRule, CorrelationRuleError>();
  const reject = (rule: CorrelationRule, code: CorrelationErrorCode, path: string, detail: string, hint?: string) => {
    if (!rejected.has(rule)) {
      rejected.set(rule, new CorrelationRuleError('link', code, rule.file, rule.line, undefined, path, detail, hint, rule.id ?? rule.title));
    }
  };

  // Unique ids and names
  const detectionKeys = new Set<string>();
  for (const ref of detectionRules ?? []) {
    detectionKeys.add(ref.id);
    if (ref.name !== undefined) detectionKeys.add(ref.name);
  }
  const owners = new Map<string, CorrelationRule>();
  for (const rule of rules) {
    for (const [key, value] of [['id', rule.id], ['name', rule.name]] as const) {
      if (value === undefined) continue;
      const owner = owners.get(value);
      if (owner !== undefined && owner !== rule) {
        reject(rule, 'CORRELATION_DUPLICATE', `/${key}`, `${key} "${value}" is already used by "${owner.title}" (${owner.file}:${owner.line})`,
          'ids and names must be unique across the pack');
      } else if (detectionKeys.has(value)) {
        reject(rule, 'CORRELATION_DUPLICATE', `/${key}`, `${key} "${value}" is already used by a detection rule`,
          'ids and names must be unique across the pack');
      }
    }
    if (rejected.has(rule)) continue;
    if (rule.id !== undefined) owners.set(rule.id, rule);
    if (rule.name !== undefined) owners.set(rule.name, rule);
  }

  // Unresolved references
  if (detectionRules !== undefined) {
    for (const rule of rules) {
      rule.rules.forEach((ref, index) => {
        if (!owners.has(ref) && !detectionKeys.has(ref)) {
          reject(rule, 'CORRELATION_UNRESOLVED', `/correlation/rules/${index}`, `"${ref}" matches no rule id or name in the pack`,
            'reference a detection or correlation rule by its `id` or `name`');
        }
      });
    }
  }

  // Cycles
  for (const cycle of findCycles(rules.filter((r) => !rejected.has(r)), owners)) {
    const loop = describeLoop(cycle, owners);
    for (const rule of cycle) {
      reject(rule, 'CORRELATION_CYCLE', '/correlation/rules', `correlation chain loops: ${loop}`,
        'a correlation cannot depend on itself, directly or through others');
    }
  }

  // Rules built on rejected rules are rejected too, until nothing changes
  for (let changed = true; changed; ) {
    changed = false;
    for (const rule of rules) {
      if (rejected.has(rule)) continue;
      const index = rule.rules.findIndex((ref) => {
        const target = owners.get(ref);
        return target !== undefined && rejected.has(target);
      });
      if (index >= 0) {
        const ref = rule.rules[index] as string;
        reject(rule, 'CORRELATION_UNRESOLVED', `/correlation/rules/${index}`, `"${ref}" refers to a correlation rule that was rejected`,
          'fix the referenced rule first');
        changed = true;
      }
    }
  }

  return { rules: rules.filter((r) => !rejected.has(r)), errors: rules.flatMap((r) => rejected.get(r) ?? []) };
}

function label(rule: CorrelationRule): string {
  return rule.name ?? rule.id ?? rule.title;
}

/** `a → b → a` when following references walks the whole loop, else the members. */
function describeLoop(members: readonly CorrelationRule[], owners: ReadonlyMap<string, CorrelationRule>): string {
  const start = members[0] as CorrelationRule;
  const path = [start];
  for (let at = start; ; ) {
    const next = at.rules.map((ref) => owners.get(ref)).find((t) => t !== undefined && members.includes(t) && (t === start || !path.includes(t)));
    if (next === undefined) break;
    path.push(next);
    if (next === start) return path.map(label).join(' → ');
    at = next;
  }
  return `${members.map(label).join(', ')} reference each other`;
}

/** Every strongly connected set of rules that loops (self-references included), in input order. */
function findCycles(rules: readonly CorrelationRule[], owners: ReadonlyMap<string, CorrelationRule>): CorrelationRule[][] {
  const live = new Set(rules);
  const edges = (rule: CorrelationRule): CorrelationRule[] =>
    rule.rules.map((ref) => owners.get(ref)).filter((t): t is CorrelationRule => t !== undefined && live.has(t));

  // Tarjan's algorithm; rule chains are short, so recursion depth is no concern.
  const index = new Map<CorrelationRule, number>();
  const low = new Map<CorrelationRule, number>();
  const stack: CorrelationRule[] = [];
  const onStack = new Set<CorrelationRule>();
  const cycles: CorrelationRule[][] = [];
  const visit = (rule: CorrelationRule): void => {
    index.set(rule, index.size);
    low.set(rule, index.get(rule) as number);
    stack.push(rule);
    onStack.add(rule);
    for (const next of edges(rule)) {
      if (!index.has(next)) {
        visit(next);
        low.set(rule, Math.min(low.get(rule) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(rule, Math.min(low.get(rule) as number, index.get(next) as number));
      }
    }
    if (low.get(rule) !== index.get(rule)) return;
    const component: CorrelationRule[] = [];
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      onStack.delete(top);
      component.push(top);
      if (top === rule) break;
    }
    if (component.length > 1 || edges(rule).includes(rule)) {
      cycles.push(component.sort((a, b) => rules.indexOf(a) - rules.indexOf(b)));
    }
  };
  for (const rule of rules) if (!index.has(rule)) visit(rule);
  return cycles;
}
