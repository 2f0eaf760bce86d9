/**
 * The Sigma engine against SigmaHQ's corpus (/work/shared/data/sigma, test data only):
 * - every rule of rules/, rules-threat-hunting/ and rules-emerging-threats/ parses and compiles;
 * - every rule of unsupported/ is rejected with a SigmaError, none crashes the loader;
 * - every regression case (regression/**\/info.yml and its evtx_dump JSON events, converted by
 *   windows-json.ts) fires its rule at least `match_count` times through SigmaEngine.match, with
 *   the whole corpus loaded, and the literal prefilter never changes a result.
 * Skipped, with a message, when the corpus is absent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { SeerflowEvent } from '../main/core/event.js';
import { SigmaEngine } from '../plugins/detectors/sigma/engine.js';
import { SigmaError } from '../plugins/detectors/sigma/errors.js';
import { parseWindowsJson } from '../plugins/detectors/sigma/windows-json.js';

const ROOT = '/work/shared/data/sigma';
const RULE_DIRS = ['rules', 'rules-threat-hunting', 'rules-emerging-threats'];
const present = fs.existsSync(path.join(ROOT, 'rules'));
if (!present) console.log(`sigma corpus: ${ROOT} not found, corpus tests skipped`);

function walk(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name), suffix) : entry.name.endsWith(suffix) ? [path.join(dir, entry.name)] : []))
    .sort();
}

interface RegressionCase {
  name: string;
  ruleId: string;
  matchCount: number;
  events: SeerflowEvent[];
}

function regressionCases(): RegressionCase[] {
  const cases: RegressionCase[] = [];
  for (const info of walk(path.join(ROOT, 'regression'), 'info.yml')) {
    const doc = parse(fs.readFileSync(info, 'utf8')) as {
      rule_metadata?: { id: string }[];
      regression_tests_info?: { name: string; type: string; path: string; match_count?: number }[];
    };
    const ruleId = doc.rule_metadata?.[0]?.id;
    for (const test of doc.regression_tests_info ?? []) {
      if (test.type !== 'evtx' || ruleId === undefined) continue;
      const json = path.join(path.dirname(info), path.basename(test.path).replace(/\.evtx$/, '.json'));
      cases.push({
        name: `${path.relative(path.join(ROOT, 'regression'), path.dirname(info))} (${test.name})`,
        ruleId,
        matchCount: test.match_count ?? 1,
        events: parseWindowsJson(fs.readFileSync(json, 'utf8')).events,
      });
    }
  }
  return cases;
}

describe.skipIf(!present)('SigmaHQ corpus', () => {
  const engine = new SigmaEngine();
  const errors: SigmaError[] = [];
  let files = 0;

  beforeAll(() => {
    for (const dir of RULE_DIRS) {
      for (const file of walk(path.join(ROOT, dir), '.yml')) {
        files++;
        errors.push(...engine.load(fs.readFileSync(file, 'utf8'), path.relative(ROOT, file)).errors);
      }
    }
  });

  it('parses and compiles every rule', () => {
    console.log(`sigma corpus: ${engine.size} rules compiled from ${files} files, ${errors.length} errors (${((engine.size / files) * 100).toFixed(1)}%)`);
    for (const error of errors.slice(0, 20)) console.log(`  ${String(error)}`);
    expect(errors).toEqual([]);
    expect(engine.size).toBe(files);
  });

  it('rejects every unsupported rule with a SigmaError', () => {
    const byCode = new Map<string, number>();
    const accepted: string[] = [];
    const unsupported = walk(path.join(ROOT, 'unsupported'), '.yml');
    for (const file of unsupported) {
      const result = new SigmaEngine().load(fs.readFileSync(file, 'utf8'), path.relative(ROOT, file));
      if (result.rules.length > 0 || result.errors.length === 0) accepted.push(file);
      for (const error of result.errors) {
        expect(error).toBeInstanceOf(SigmaError);
        byCode.set(error.code, (byCode.get(error.code) ?? 0) + 1);
      }
    }
    console.log(`sigma corpus: ${unsupported.length - accepted.length}/${unsupported.length} unsupported rules rejected`, Object.fromEntries(byCode));
    expect(accepted).toEqual([]);
    expect(unsupported.length).toBeGreaterThan(0);
  });

  it('fires each regression case at least match_count times', () => {
    const cases = regressionCases();
    const failing: string[] = [];
    for (const testCase of cases) {
      let fired = 0;
      for (const event of testCase.events) for (const match of engine.match(event)) if (match.rule.id === testCase.ruleId) fired++;
      if (fired < testCase.matchCount) {
        const known = engine.get(testCase.ruleId) ? '' : ' (rule not loaded)';
        failing.push(`${testCase.name}: fired ${fired}, want ${testCase.matchCount}${known}; logsources ${testCase.events.map((e) => JSON.stringify(e.logsource)).join(' ')}`);
      }
    }
    const passed = cases.length - failing.length;
    console.log(`sigma regression: ${passed}/${cases.length} cases pass (${((passed / Math.max(1, cases.length)) * 100).toFixed(1)}%)`);
    for (const line of failing) console.log(`  FAIL ${line}`);
    expect(failing).toEqual([]);
    expect(cases.length).toBeGreaterThan(100);
  });

  it('gives the same matches with and without the prefilter', () => {
    const plain = new SigmaEngine({ prefilter: false });
    for (const dir of RULE_DIRS) for (const file of walk(path.join(ROOT, dir), '.yml')) plain.load(fs.readFileSync(file, 'utf8'), file);
    const events = regressionCases().flatMap((testCase) => testCase.events);
    const ids = (e: SigmaEngine, event: SeerflowEvent) => e.match(event).map((m) => m.rule.id).sort();
    let compared = 0;
    for (const event of events) {
      expect(ids(engine, event)).toEqual(ids(plain, event));
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
    expect(engine.health().evaluationErrors).toBe(0);
  });
});
