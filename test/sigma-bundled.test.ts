/**
 * The bundled Sigma pack (`resources/sigma/`): every rule loads and compiles without an error or
 * warning, carries the metadata the product shows (id, title, level, ATT&CK tags, false
 * positives), and behaves as its own test lines say.
 *
 * Each rule file holds one Sigma document plus a top-level `x_seerflow_tests` key, which the
 * specification allows ("arbitrary custom fields") and the engine ignores:
 *
 *   x_seerflow_tests:
 *       match: [<raw line>, ...]      # detection rule: each line alone fires the rule once
 *       no_match: [<raw line>, ...]   # detection rule: no line fires it
 *
 * For a correlation rule `match` and `no_match` are each one sequence of raw lines, fed in order
 * to a fresh detection + correlation pipeline: the first must raise the correlation, the second
 * must not. Lines are raw input exactly as a receiver hands it over (syslog with or without a
 * header, access-log lines, auditd records, JSON lines), normalized with the product normalizer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { RawEvent, SeerflowEvent } from '../main/core/event.js';
import { compileLogsourceRules } from '../main/core/logsource.js';
import { createNormalizer } from '../main/core/normalizer.js';
import { TemplateMiner } from '../main/core/template/template-miner.js';
import { CorrelationEngine, fromRuleMatch, type CorrelationHit } from '../plugins/detectors/sigma/correlation.js';
import type { CorrelationRule } from '../plugins/detectors/sigma/correlation-parser.js';
import type { SigmaEngine } from '../plugins/detectors/sigma/engine.js';
import { buildSigmaPack } from '../plugins/detectors/sigma/pack.js';
import { fieldValue } from '../plugins/detectors/sigma/field-mapping.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'sigma');
const FOLDERS = ['linux', 'web', 'dns', 'process_creation', 'correlation'] as const;
const MIN_RULES = 80;

/** Receive time of the test lines: 2026-11-30T12:00:00Z (gives BSD syslog stamps their year). */
const BASE_NS = 1_796_040_000_000_000_000n;
const SECOND_NS = 1_000_000_000n;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TECHNIQUE_TAG = /^attack\.t\d{4}(\.\d{3})?$/;
const TACTICS = new Set([
  'reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence', 'privilege-escalation',
  'defense-evasion', 'credential-access', 'discovery', 'lateral-movement', 'collection', 'command-and-control',
  'exfiltration', 'impact',
]);
const LEVELS = new Set(['informational', 'low', 'medium', 'high', 'critical']);

/** What the detection rules of each folder must select. */
const FOLDER_LOGSOURCE: Readonly<Record<string, (ls: Record<string, unknown>) => boolean>> = {
  linux: (ls) => ls['product'] === 'linux' && ls['category'] === undefined,
  web: (ls) => ls['category'] === 'webserver',
  dns: (ls) => ls['category'] === 'dns',
  process_creation: (ls) => ls['category'] === 'process_creation' && (ls['product'] === 'linux' || ls['product'] === 'windows'),
};

interface RuleFile {
  /** Path relative to resources/sigma, with forward slashes. */
  path: string;
  folder: string;
  text: string;
  doc: Record<string, unknown>;
  kind: 'detection' | 'correlation';
  tests: { match: string[]; no_match: string[] };
}

// ── Loading ─────────────────────────────────────────────────────────────────────────────────────

function readPack(): RuleFile[] {
  const files = readdirSync(ROOT, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.yml') || file.endsWith('.yaml'))
    .sort();
  return files.map((file) => {
    const path = file.split('\\').join('/');
    const text = readFileSync(join(ROOT, file), 'utf8');
    const documents = parseAllDocuments(text);
    if (!Array.isArray(documents) || documents.length !== 1) throw new Error(`${path}: expected exactly one YAML document`);
    const [document] = documents;
    if (document === undefined || document.errors.length > 0) throw new Error(`${path}: ${String(document?.errors[0])}`);
    const doc = document.toJS() as Record<string, unknown>;
    const raw = (doc['x_seerflow_tests'] ?? {}) as Record<string, unknown>;
    return {
      path,
      folder: path.split('/')[0] ?? '',
      text,
      doc,
      kind: doc['correlation'] !== undefined ? 'correlation' : 'detection',
      tests: { match: strings(raw['match']), no_match: strings(raw['no_match']) },
    };
  });
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

interface Pack {
  files: RuleFile[];
  engine: SigmaEngine;
  correlations: CorrelationRule[];
  problems: string[];
}

/** The pack exactly as the product loads it (pack.ts), problems and warnings together. */
function loadPack(): Pack {
  const files = readPack();
  const pack = buildSigmaPack(files.map((file) => ({ file: file.path, text: file.text, origin: 'bundled' as const })));
  return { files, engine: pack.engine, correlations: pack.correlations, problems: [...pack.problems, ...pack.warnings] };
}

// ── Events ──────────────────────────────────────────────────────────────────────────────────────

function newNormalizer(): (line: string, index: number) => SeerflowEvent {
  const normalize = createNormalizer({
    maxMessageLength: 32_768,
    maxEntitiesPerType: 32,
    miner: new TemplateMiner(),
    logsourceRules: compileLogsourceRules([]),
  });
  // Lines without a time of their own get one second apart, so sequences have an order.
  return (line, index) => {
    const receivedNs = BASE_NS + BigInt(index) * SECOND_NS;
    const raw: RawEvent = { sourceType: 'file', sourceId: 'sigma-bundled-test', receivedNs, line };
    return normalize(raw, receivedNs);
  };
}

function firedIds(engine: SigmaEngine, event: SeerflowEvent): string[] {
  return engine.match(event).map((match) => match.rule.id);
}

/** Feeds a sequence through detection and a fresh correlation engine; returns every hit. */
function runSequence(pack: Pack, lines: readonly string[]): CorrelationHit[] {
  const normalize = newNormalizer();
  const correlation = new CorrelationEngine(pack.correlations, { fieldOf: fieldValue });
  const hits: CorrelationHit[] = [];
  lines.forEach((line, index) => {
    const event = normalize(line, index);
    for (const match of pack.engine.match(event)) hits.push(...correlation.process(fromRuleMatch(match)));
  });
  hits.push(...correlation.closeAll());
  return hits;
}

// ── Tests ───────────────────────────────────────────────────────────────────────────────────────

const pack = loadPack();
const detections = pack.files.filter((file) => file.kind === 'detection');
const correlations = pack.files.filter((file) => file.kind === 'correlation');

describe('bundled Sigma pack: loading', () => {
  it('parses, compiles and links every rule without an error or warning', () => {
    expect(pack.problems).toEqual([]);
    expect(pack.engine.size).toBe(detections.length);
    expect(pack.correlations).toHaveLength(correlations.length);
  });

  it(`holds at least ${MIN_RULES} rules, only in the known folders`, () => {
    expect(pack.files.length).toBeGreaterThanOrEqual(MIN_RULES);
    for (const file of pack.files) expect(FOLDERS as readonly string[], file.path).toContain(file.folder);
    for (const file of correlations) expect(file.folder, file.path).toBe('correlation');
  });

  it('gives every rule a unique UUID v4 id and a unique name equal to its file name', () => {
    const ids = new Set<string>();
    const names = new Set<string>();
    for (const { path, doc } of pack.files) {
      const id = String(doc['id']);
      const name = String(doc['name']);
      expect(id, path).toMatch(UUID_V4);
      expect(ids.has(id), `${path}: duplicate id ${id}`).toBe(false);
      expect(name, path).toBe(basename(path).replace(/\.ya?ml$/, ''));
      expect(names.has(name), `${path}: duplicate name ${name}`).toBe(false);
      ids.add(id);
      names.add(name);
    }
  });
});

describe('bundled Sigma pack: metadata', () => {
  for (const { path, doc, folder, kind, tests } of pack.files) {
    it(path, () => {
      expect(typeof doc['title'] === 'string' && doc['title'].length > 0 && doc['title'].length <= 256, 'title').toBe(true);
      expect(['experimental', 'test'], 'status').toContain(doc['status']);
      expect(typeof doc['description'] === 'string' && doc['description'].trim().length > 20, 'description').toBe(true);
      expect(doc['author'], 'author').toBe('Seerflow');
      expect(String(doc['date']), 'date').toMatch(DATE);
      expect(LEVELS.has(String(doc['level'])), 'level').toBe(true);

      const tags = strings(doc['tags']);
      expect(tags.length, 'tags').toBeGreaterThan(0);
      expect(new Set(tags).size, 'tags are unique').toBe(tags.length);
      for (const tag of tags) expect(tag, 'tag syntax').toMatch(/^[a-z0-9_-]+\.[a-z0-9._-]+$/);
      expect(tags.some((tag) => TECHNIQUE_TAG.test(tag)), 'an ATT&CK technique tag').toBe(true);
      expect(tags.some((tag) => TACTICS.has(tag.replace(/^attack\./, ''))), 'an ATT&CK tactic tag').toBe(true);
      for (const tag of tags.filter((t) => t.startsWith('attack.') && !/^attack\.[tsg]\d{4}/.test(t))) {
        expect(TACTICS.has(tag.slice('attack.'.length)), `known tactic ${tag}`).toBe(true);
      }

      const falsepositives = strings(doc['falsepositives']);
      expect(falsepositives.length, 'falsepositives').toBeGreaterThan(0);

      if (kind === 'detection') {
        const logsource = (doc['logsource'] ?? {}) as Record<string, unknown>;
        expect(FOLDER_LOGSOURCE[folder]?.(logsource), `logsource fits folder ${folder}`).toBe(true);
      }
      expect(tests.match.length, 'x_seerflow_tests.match').toBeGreaterThan(0);
      expect(tests.no_match.length, 'x_seerflow_tests.no_match').toBeGreaterThan(0);
    });
  }
});

describe('bundled Sigma pack: detection rules fire on their own test lines', () => {
  for (const { path, doc, tests } of detections) {
    const id = String(doc['id']);
    it(path, () => {
      const normalize = newNormalizer();
      tests.match.forEach((line, index) => {
        const fired = firedIds(pack.engine, normalize(line, index));
        expect(fired.filter((fid) => fid === id), `fires once on match line ${index + 1}: ${line}`).toHaveLength(1);
      });
      tests.no_match.forEach((line, index) => {
        const fired = firedIds(pack.engine, normalize(line, index));
        expect(fired, `stays silent on no_match line ${index + 1}: ${line}`).not.toContain(id);
      });
    });
  }
});

describe('bundled Sigma pack: correlation rules raise on their sequences', () => {
  for (const { path, doc, tests } of correlations) {
    const id = String(doc['id']);
    it(path, () => {
      const raised = runSequence(pack, tests.match).filter((hit) => hit.rule.id === id);
      expect(raised.length, 'raised by the match sequence').toBeGreaterThan(0);
      const quiet = runSequence(pack, tests.no_match).filter((hit) => hit.rule.id === id);
      expect(quiet, 'silent on the no_match sequence').toEqual([]);
    });
  }
});
