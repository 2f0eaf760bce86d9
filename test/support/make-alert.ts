/** A complete `Alert` with sensible values, overridable per test. */
import { v7 as uuidv7 } from 'uuid';
import type { Alert } from '../../main/core/alert.js';

export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  const timestampNs = overrides.timestampNs ?? 1_796_032_800_000_000_000n;
  return {
    alertId: uuidv7(),
    alertType: 'sigma',
    timestampNs,
    lastSeenNs: timestampNs,
    severity: 3,
    ruleName: 'SSH brute force',
    description: 'Repeated failed SSH logins from 203.0.113.7',
    sourceType: 'syslog',
    sourceId: 'syslog',
    entityId: '11111111-1111-5111-8111-111111111111',
    entityType: 'ip',
    entityValue: '203.0.113.7',
    dedupKey: `sigma:ssh-brute-force:${uuidv7()}`,
    dedupCount: 1,
    riskScore: 0.5,
    feedback: null,
    tactics: ['credential_access'],
    techniques: ['T1110.001'],
    contributingEventIds: [],
    details: {},
    ...overrides,
  };
}
