import { describe, expect, it } from 'vitest';
import { makeAlert } from '../../../test/support/make-alert.js';
import { readLeef } from '../../../test/alerting/read-formats.js';
import { formatLeef } from './leef.js';

describe('LEEF', () => {
  it('writes a LEEF 2.0 header with a tab delimiter and the alert’s attributes', () => {
    const alert = makeAlert({ timestampNs: 1_796_032_800_123_456_789n, severity: 4 });
    const line = formatLeef(alert);
    expect(line.startsWith('LEEF:2.0|Seerflow|Seerflow|0.1.0|sigma:SSH brute force|x09|devTime=2026-11-30T10:00:00.123Z\t')).toBe(true);
    expect(readLeef(line).attributes).toMatchObject({
      sev: '7',
      cat: 'sigma',
      src: '203.0.113.7',
      alertId: alert.alertId,
      description: 'Repeated failed SSH logins from 203.0.113.7',
      mitreTechniques: 'T1110.001',
    });
  });

  it('keeps hostile content inside its attribute: tabs and newlines become spaces, pipes and = stay', () => {
    const alert = makeAlert({
      ruleName: 'rule | with \\ pipe\tand tab',
      description: 'a=b\tinjected=1\nnext line | ünïcødé 🚨',
      entityType: 'host',
      entityValue: 'web|01=x',
    });
    const line = formatLeef(alert);
    expect(line).not.toMatch(/[\r\n]/);
    const { header, attributes } = readLeef(line);
    expect(header[4]).toBe('sigma:rule | with \\ pipe and tab');
    expect(attributes.description).toBe('a=b injected=1 next line | ünïcødé 🚨');
    expect(attributes).not.toHaveProperty('injected');
    expect(attributes.identHostName).toBe('web|01=x');
  });

  it('bounds every value', () => {
    const { attributes } = readLeef(formatLeef(makeAlert({ description: 'x'.repeat(100_000) })));
    expect(attributes.description).toHaveLength(1023);
  });
});
