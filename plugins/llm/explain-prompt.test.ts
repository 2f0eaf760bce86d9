import { describe, expect, it } from 'vitest';
import { makeAlert } from '../../test/support/make-alert.js';
import { makeEvent } from '../../test/support/make-event.js';
import { explainPrompt, explanationMarkdown } from './explain-prompt.js';

const T0 = 1_796_032_800_000_000_000n;
const alert = makeAlert({ timestampNs: T0 });
const events = [1n, 2n, 3n].map((i) => makeEvent({ timestampNs: T0 + i * 1_000_000_000n, message: `attempt ${i}` }));

describe('explainPrompt', () => {
  it('lays out the alert, its events oldest first, and the entity context', () => {
    const { prompt, truncated, used } = explainPrompt(alert, events, '120 events; busiest UTC hours 9:00', 8000);
    expect(prompt).toContain('ALERT:\n');
    expect(prompt).toContain('rule: SSH brute force\n');
    expect(prompt).toContain('severity: Warning (3)\n');
    expect(prompt).toContain('mitre: credential_access, T1110.001\n');
    expect(prompt).toContain(
      'CONTRIBUTING EVENTS:\n- [2026-11-30T10:00:01.000Z] source=syslog message=attempt 1\n- [2026-11-30T10:00:02.000Z] source=syslog message=attempt 2\n',
    );
    expect(prompt).toContain('ENTITY CONTEXT:\n120 events; busiest UTC hours 9:00\n');
    expect([truncated, used.length]).toEqual([false, 3]);
  });

  it('drops the oldest events first to stay within the budget, and says so', () => {
    const full = explainPrompt(alert, events, undefined, 8000).prompt.length;
    const { prompt, truncated, used } = explainPrompt(alert, events, undefined, full - 10);
    expect(prompt.length).toBeLessThanOrEqual(full - 10);
    expect(prompt).not.toContain('attempt 1');
    expect(used.map((e) => e.message)).toEqual(['attempt 2', 'attempt 3']);
    expect(truncated).toBe(true);
    expect(explainPrompt(alert, [], undefined, 8000).prompt).toContain('- none stored\nENTITY CONTEXT:\nno baseline\n');
  });
});

describe('explanationMarkdown', () => {
  it('renders the four fields, leaving out empty lists', () => {
    expect(explanationMarkdown({ summary: 'S.', anomaly_rationale: 'R.', evidence: ['e1'], recommended_next_steps: [] })).toBe(
      '**Summary.** S.\n\n**Why it is anomalous.** R.\n\n**Evidence**\n- e1',
    );
  });
});
