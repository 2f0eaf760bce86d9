/** A complete `SeerflowEvent` with sensible values, overridable per test. */
import { v7 as uuidv7 } from 'uuid';
import type { SeerflowEvent } from '../../main/core/event.js';

export function makeEvent(overrides: Partial<SeerflowEvent> = {}): SeerflowEvent {
  return {
    eventId: uuidv7(),
    timestampNs: 1_796_032_800_123_456_789n,
    observedNs: 1_796_032_800_223_456_789n,
    severity: 1,
    sourceType: 'syslog',
    sourceId: 'syslog',
    host: 'web01',
    app: 'sshd',
    procId: '4242',
    msgId: '',
    message: 'Failed password for root from 203.0.113.7 port 22 ssh2',
    templateId: 1,
    templateStr: 'Failed password for <*> from <IP> port <NUM> ssh2',
    templateParams: ['root', '203.0.113.7', '22'],
    entities: [],
    logsource: { product: 'linux', category: '', service: 'sshd' },
    fields: {},
    raw: '',
    ...overrides,
  };
}
