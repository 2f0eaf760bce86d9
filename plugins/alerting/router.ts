/**
 * Routing (reference §13): which sinks an alert goes to. Without routing rules, every sink. With
 * rules, the first whose match holds names the sinks (channels); an alert no rule matches
 * follows `default_routing` (drop, or notify its channels, none listed = every sink). Each sink
 * still applies its own minimum severity. Compiled once; `route` does no config lookups.
 */
import type { Alert } from '../../main/core/alert.js';
import type { AlertingConfig, RoutingMatch } from '../../main/config/sections/alerting.js';

type Predicate = (alert: Alert) => boolean;

export class Router<T> {
  readonly #rules: ReadonlyArray<{ matches: Predicate; targets: readonly T[] }>;
  readonly #fallback: readonly T[];

  constructor(rules: ReadonlyArray<{ matches: Predicate; targets: readonly T[] }>, fallback: readonly T[]) {
    this.#rules = rules;
    this.#fallback = fallback;
  }

  route(alert: Alert): readonly T[] {
    for (const rule of this.#rules) if (rule.matches(alert)) return rule.targets;
    return this.#fallback;
  }
}

/**
 * Compile the routing of `config` over the named sinks. Throws when a rule names a sink that
 * does not exist, naming the key and the sinks there are.
 */
export function compileRouter<T>(config: Pick<AlertingConfig, 'routing_rules' | 'default_routing'>, sinks: ReadonlyMap<string, T>): Router<T> {
  const all = [...sinks.values()];
  if (config.routing_rules.length === 0) return new Router([], all);
  const resolve = (channels: Array<{ channel: string }>, key: string): T[] =>
    channels.map(({ channel }, i) => {
      const target = sinks.get(channel);
      if (target === undefined) {
        const known = [...sinks.keys()].map((name) => `"${name}"`).join(', ') || 'none';
        throw new Error(`alerting.${key}[${i}].channel: no sink is named "${channel}" (sinks: ${known})`);
      }
      return target;
    });
  const rules = config.routing_rules.map((rule, i) => ({
    matches: compileMatch(rule.match),
    targets: resolve(rule.notify, `routing_rules[${i}].notify`),
  }));
  const { action, notify } = config.default_routing;
  const fallback = action === 'drop' ? [] : notify.length === 0 ? all : resolve(notify, 'default_routing.notify');
  return new Router(rules, fallback);
}

function compileMatch(match: RoutingMatch): Predicate {
  const checks: Predicate[] = [];
  if (match.alert_type !== undefined) {
    const types = new Set<string>([match.alert_type].flat());
    checks.push((alert) => types.has(alert.alertType));
  }
  if (match.entity_type !== undefined) {
    const types = new Set<string>([match.entity_type].flat());
    checks.push((alert) => types.has(alert.entityType));
  }
  if (match.rule_name !== undefined) {
    const pattern = globToRegExp(match.rule_name);
    checks.push((alert) => pattern.test(alert.ruleName));
  }
  const { min_severity: min, max_severity: max } = match;
  if (min !== undefined) checks.push((alert) => alert.severity >= min);
  if (max !== undefined) checks.push((alert) => alert.severity <= max);
  return (alert) => checks.every((check) => check(alert));
}

/** Python's fnmatch, case-sensitive: `*` any run, `?` one character, `[seq]` / `[!seq]` a set. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++; // a leading `]` is a member
      const end = glob.indexOf(']', j);
      if (end === -1) {
        source += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, end);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      source += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
