/**
 * The Sigma 2.1 correlation specification against our implementation: every sample of the
 * specification's schema folder parses through the real Sigma loader, and the specification's own
 * worked example (failed logins followed by a successful login) runs end to end, from YAML text
 * through the detection engine into the correlation engine. Skipped, with a message, when the
 * specification is not checked out at SPEC_DIR.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SeerflowEvent } from '../main/core/event.js';
import { CorrelationEngine, fromRuleMatch, type CorrelationHit } from '../plugins/detectors/sigma/correlation.js';
import { linkCorrelationRules } from '../plugins/detectors/sigma/correlation-link.js';
import { correlationSource, parseCorrelationRule, type CorrelationRule } from '../plugins/detectors/sigma/correlation-parser.js';
import { SigmaEngine } from '../plugins/detectors/sigma/engine.js';
import { fieldValue } from '../plugins/detectors/sigma/field-mapping.js';
import { loadSigmaText } from '../plugins/detectors/sigma/loader.js';
import type { RawSigmaDocument } from '../plugins/detectors/sigma/parser.js';
import { makeEvent } from './support/make-event.js';

const SPEC_DIR = '/work/shared/data/sigma/spec';
const SAMPLES = join(SPEC_DIR, 'schema', 'correlation');
const SPEC_TEXT = join(SPEC_DIR, 'specification', 'sigma-correlation-rules-specification.md');

const haveSamples = existsSync(SAMPLES);
const haveSpec = existsSync(SPEC_TEXT);
if (!haveSamples) console.warn(`sigma-correlation-spec: skipping the schema samples, ${SAMPLES} is absent`);
if (!haveSpec) console.warn(`sigma-correlation-spec: skipping the worked example, ${SPEC_TEXT} is absent`);

function parseAll(documents: readonly RawSigmaDocument[]): CorrelationRule[] {
  return documents
    .filter((document) => document.kind === 'correlation')
    .map((document) => {
      const result = parseCorrelationRule(document.doc, correlationSource(document));
      if ('error' in result) throw new Error(String(result.error));
      return result.rule;
    });
}

describe.skipIf(!haveSamples)('Sigma 2.1 correlation schema samples', () => {
  const files = haveSamples ? readdirSync(SAMPLES).filter((file) => file.endsWith('.yml')).sort() : [];

  it('covers every correlation type', () => {
    expect(new Set(files.map((file) => file.replace(/(_ecs)?\.yml$/, '')))).toEqual(
      new Set(['event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile']),
    );
  });

  it.each(files)('%s parses', (file) => {
    const loaded = loadSigmaText(readFileSync(join(SAMPLES, file), 'utf8'), file);
    expect(loaded.errors.map(String)).toEqual([]);
    const rules = parseAll(loaded.documents);
    expect(rules.map((rule) => [rule.type, rule.file])).toEqual([[file.replace(/(_ecs)?\.yml$/, ''), file]]);
    expect(rules[0]?.timespanNs).toBeGreaterThan(0n);
  });
});

describe.skipIf(!haveSpec)('the specification\'s worked example, end to end', () => {
  /** The multi-document YAML under "Failed Logins Followed by Successful Login". */
  const example = (): string => {
    const text = readFileSync(SPEC_TEXT, 'utf8');
    const section = text.slice(text.indexOf('### Failed Logins Followed by Successful Login'));
    const block = /```ya?ml\n([\s\S]*?)```/.exec(section);
    if (!block?.[1]) throw new Error('the worked example is missing from the specification');
    return block[1];
  };

  const S = 1_000_000_000n;
  const T0 = 1_700_000_000n * S;
  const login = (id: string, seconds: number, eventId: number, user: string): SeerflowEvent =>
    makeEvent({
      eventId: id,
      timestampNs: T0 + BigInt(seconds) * S,
      logsource: { product: 'windows', category: '', service: 'security' },
      fields: { EventID: eventId, User: user },
      message: `EventID ${eventId} for ${user}`,
    });

  it('loads, links, and fires once ten failures are followed by a success of the same user', () => {
    const detection = new SigmaEngine();
    const loaded = detection.load(example(), 'mr_failed_logins_then_success.yml');
    expect(loaded.errors.map(String)).toEqual([]);
    expect(loaded.rules.map((rule) => rule.name).sort()).toEqual(['failed_login', 'successful_login']);

    const linked = linkCorrelationRules(parseAll(loaded.documents), loaded.rules);
    expect(linked.errors.map(String)).toEqual([]);
    const correlation = new CorrelationEngine(linked.rules, { fieldOf: fieldValue });
    expect(loaded.rules.map((rule) => [rule.name, correlation.suppressGenerated(rule.id, rule.name)])).toEqual([
      ['failed_login', true],
      ['successful_login', true],
    ]);

    const events = [
      ...Array.from({ length: 10 }, (_, i) => login(`fail-${i}`, i * 30, i % 2 === 0 ? 4625 : 529, 'alice')),
      login('bob-ok', 310, 4624, 'bob'),
      login('alice-ok', 320, 4624, 'alice'),
      login('alice-other', 330, 4688, 'alice'),
    ];
    const hits: CorrelationHit[] = events.flatMap((event) => detection.match(event).flatMap((match) => correlation.process(fromRuleMatch(match))));
    expect(hits.map((hit) => [hit.rule.title, hit.group, hit.value, hit.eventIds.length, hit.suppressed, hit.rule.level])).toEqual([
      ['Multiple failed logons', { User: 'alice' }, 10, 10, true, undefined],
      ['Correlation - Multiple Failed Logins Followed by Successful Login', { User: 'alice' }, 2, 11, false, 'high'],
    ]);
    expect(hits[1]?.eventIds.at(-1)).toBe('alice-ok');
  });
});
