/** Events for the UEBA unit tests: a user logging in from an address at a given UTC time. */
import { entityRef } from '../../main/core/entity/identity.js';
import type { EntityRef, SeerflowEvent } from '../../main/core/event.js';
import { makeEvent } from '../support/make-event.js';

export const ACCEPTED = 11;
export const SUDO = 12;

export function ref(type: EntityRef['type'], value: string): EntityRef {
  return entityRef(type, value)!;
}

export function nsAt(iso: string): bigint {
  return BigInt(Date.parse(iso)) * 1_000_000n;
}

/** `user` logs in from `ip` at `iso` (UTC); template `templateId`. */
export function login(user: string, ip: string, iso: string, templateId = ACCEPTED): SeerflowEvent {
  return makeEvent({
    timestampNs: nsAt(iso),
    templateId,
    message: `Accepted password for ${user} from ${ip} port 50000 ssh2`,
    templateStr: 'Accepted password for <*> from <IP> port <NUM> ssh2',
    entities: [ref('ip', ip), ref('user', user)],
  });
}

/** `days` days of `user`'s routine: `perDay` logins from `ip`, one a minute from 09:00 UTC. */
export function routine(user: string, ip: string, days: number, perDay: number, from = '2025-07-01'): SeerflowEvent[] {
  const events: SeerflowEvent[] = [];
  const start = Date.parse(`${from}T09:00:00Z`);
  for (let day = 0; day < days; day++) {
    for (let i = 0; i < perDay; i++) events.push(login(user, ip, new Date(start + day * 86_400_000 + i * 60_000).toISOString()));
  }
  return events;
}
