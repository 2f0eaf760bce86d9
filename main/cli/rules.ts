/**
 * `seerflow rules list|validate|test`: Sigma rules on this machine, no running appliance needed.
 *
 * - `list` loads the configuration's rule sources as the detector does (bundled pack,
 *   `detection.sigma_rules_dirs`, the upload folder) and prints detection and correlation rules,
 *   optionally only those tagged with an ATT&CK technique (sub-techniques included) or tactic.
 *   The enabled state lives in the appliance's store and is not shown.
 * - `validate` loads files and folders as one pack and exits 1 at the first problem, printing
 *   `[stage] file:line:col message`; 0 with a count when every rule loads.
 * - `test` runs the detection rules of one file over a log file (or `-`, stdin), each line
 *   normalized as the appliance would, and prints the lines that match: exit 0 when some do,
 *   1 when none do (or the rule is invalid), as grep does.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { SeerflowConfig } from '../config/types.js';
import { normalizeTactic, normalizeTechnique } from '../core/attack.js';
import { systemClockNs } from '../core/clock.js';
import { compileLogsourceRules } from '../core/logsource.js';
import { createNormalizer } from '../core/normalizer.js';
import { TemplateMiner } from '../core/template/template-miner.js';
import { SigmaEngine } from '../../plugins/detectors/sigma/engine.js';
import { buildSigmaPack, type RuleFile, type RuleOrigin, type SigmaPack } from '../../plugins/detectors/sigma/pack.js';
import { readRuleDir } from '../../plugins/detectors/sigma/rule-files.js';
import { packOptions, readRuleSources, ruleSources } from '../../plugins/detectors/sigma/rule-sources.js';
import { attackFromTags } from '../../plugins/detectors/sigma/sigma-alerts.js';
import { InputError } from './batch.js';
import { table } from './output.js';

export type RulesFormat = 'table' | 'json';

export interface RulesListOptions {
  technique?: string;
  tactic?: string;
  format: RulesFormat;
}

interface ListedRule {
  rule_id: string;
  kind: 'detection' | 'correlation';
  title: string;
  level: string;
  logsource_key: [string, string, string];
  attack_tactics: string[];
  attack_techniques: string[];
  source: RuleOrigin;
  file: string;
}

const LIST_COLUMNS = ['rule_id', 'kind', 'level', 'title', 'attack_tactics', 'attack_techniques', 'source'];

const warn = (message: string) => process.stderr.write(`seerflow: warning: ${message}\n`);

// ── list ────────────────────────────────────────────────────────────────────────────────────────

export async function rulesListCommand(config: SeerflowConfig, options: RulesListOptions): Promise<number> {
  const technique = options.technique === undefined ? undefined : normalizeTechnique(options.technique);
  if (technique && !technique.valid) throw new InputError(`rules list: --technique is an ATT&CK id such as T1110 or T1110.001, not "${options.technique}"`);
  const tactic = options.tactic === undefined ? undefined : normalizeTactic(options.tactic).name;

  const pack = buildSigmaPack(await readRuleSources(ruleSources(config.detection), warn), packOptions(config.detection));
  if (pack.problems.length > 0) warn(`${pack.problems.length} rules did not load (see \`seerflow rules validate\`)`);
  const rules = listedRules(pack)
    .filter((rule) => tactic === undefined || rule.attack_tactics.includes(tactic))
    .filter((rule) => !technique || rule.attack_techniques.some((t) => t === technique.id || t.startsWith(`${technique.id}.`)))
    .sort((a, b) => a.title.localeCompare(b.title) || a.rule_id.localeCompare(b.rule_id));

  if (options.format === 'json') {
    for (const rule of rules) process.stdout.write(`${JSON.stringify(rule)}\n`);
  } else {
    process.stdout.write(`${table(rules as unknown as Array<Record<string, unknown>>, LIST_COLUMNS)}\n(${rules.length} rules)\n`);
  }
  return 0;
}

function listedRules(pack: SigmaPack): ListedRule[] {
  const detection = pack.engine.rules().map((rule): ListedRule => {
    const { product = '', category = '', service = '' } = rule.logsource;
    const attack = attackFromTags(rule.tags);
    return {
      rule_id: rule.id,
      kind: 'detection',
      title: rule.title,
      level: rule.level,
      logsource_key: [product, category, service],
      attack_tactics: attack.tactics,
      attack_techniques: attack.techniques,
      source: pack.origins.get(rule.id) ?? 'dir',
      file: rule.source.file,
    };
  });
  const correlation = pack.correlations.map((rule): ListedRule => {
    const key = rule.id ?? rule.name ?? rule.title;
    const attack = attackFromTags(rule.tags);
    return {
      rule_id: key,
      kind: 'correlation',
      title: rule.title,
      level: rule.level ?? 'medium',
      logsource_key: ['', '', ''],
      attack_tactics: attack.tactics,
      attack_techniques: attack.techniques,
      source: pack.origins.get(key) ?? 'dir',
      file: rule.file,
    };
  });
  return [...detection, ...correlation];
}

// ── validate ────────────────────────────────────────────────────────────────────────────────────

export async function rulesValidateCommand(config: SeerflowConfig, paths: readonly string[]): Promise<number> {
  const files: RuleFile[] = [];
  for (const input of paths) {
    const stat = fs.statSync(input, { throwIfNoEntry: false });
    if (!stat) throw new InputError(`${input}: no such file or folder`);
    if (stat.isDirectory()) {
      const found = await readRuleDir(input, 'dir', warn);
      if (found.length === 0) throw new InputError(`${input}: no .yml or .yaml files in this folder`);
      files.push(...found);
    } else {
      files.push({ file: input, text: readText(input), origin: 'dir' });
    }
  }
  const pack = buildSigmaPack(files, packOptions(config.detection));
  for (const warning of pack.warnings) warn(warning);
  if (reportProblems(pack.problems)) return 1;
  const detection = pack.engine.size;
  const correlation = pack.correlations.length;
  process.stdout.write(
    `${detection + correlation} rules valid (${detection} detection, ${correlation} correlation) in ${files.length} files\n`,
  );
  return 0;
}

/** Prints the first problem (and how many follow); true when there was one. */
function reportProblems(problems: readonly string[]): boolean {
  const [first, ...rest] = problems;
  if (first === undefined) return false;
  process.stderr.write(`seerflow: invalid rule: ${first}\n`);
  if (rest.length > 0) process.stderr.write(`seerflow: ${rest.length} more problems after this one\n`);
  return true;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

// ── test ────────────────────────────────────────────────────────────────────────────────────────

export async function rulesTestCommand(config: SeerflowConfig, ruleFile: string, logFile: string, format: RulesFormat): Promise<number> {
  if (!fs.existsSync(ruleFile)) throw new InputError(`${ruleFile}: no such file`);
  if (logFile !== '-' && !fs.statSync(logFile, { throwIfNoEntry: false })?.isFile()) throw new InputError(`${logFile}: no such file`);
  // Detection rules only: correlations and filters need a pack around them.
  const engine = new SigmaEngine(packOptions(config.detection));
  const loaded = engine.load(readText(ruleFile), ruleFile);
  if (reportProblems(loaded.errors.map(String))) return 1;
  if (engine.size === 0) {
    throw new InputError(`${ruleFile}: holds no detection rule (a correlation needs the rules it references; test those)`);
  }
  const severalRules = engine.size > 1;
  const normalize = createNormalizer({
    maxMessageLength: config.parsing.max_message_length,
    maxEntitiesPerType: config.parsing.max_entities_per_type,
    miner: new TemplateMiner(),
    logsourceRules: compileLogsourceRules(config.parsing.logsource_rules),
  });

  let lineNo = 0;
  let matched = 0;
  for await (const line of readline.createInterface({ input: openLog(logFile), crlfDelay: Infinity })) {
    lineNo++;
    if (line.trim() === '') continue;
    const nowNs = systemClockNs();
    const matches = engine.match(normalize({ sourceType: 'file', sourceId: logFile, receivedNs: nowNs, line }, nowNs));
    if (matches.length === 0) continue;
    matched++;
    const rules = matches.map(({ rule }) => ({ rule_id: rule.id, title: rule.title }));
    if (format === 'json') process.stdout.write(`${JSON.stringify({ line: lineNo, text: line, rules })}\n`);
    else process.stdout.write(`${lineNo}${severalRules ? ` [${rules.map((r) => r.title).join(', ')}]` : ''}: ${line}\n`);
  }
  process.stderr.write(`${matched} of ${lineNo} lines match\n`);
  return matched > 0 ? 0 : 1;
}

function openLog(file: string): Readable {
  if (file === '-') return process.stdin;
  const stream = fs.createReadStream(file);
  return file.endsWith('.gz') ? stream.pipe(zlib.createGunzip()) : stream;
}
