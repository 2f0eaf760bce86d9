/**
 * The hunt's deterministic fast path: does the question name an entity? Tried in order: a UUID
 * (an entity id), the IPs and users our log extractor finds, `user@domain` and `DOMAIN\user`,
 * dotted host names, then bare words that look like names (`web01`, `db-prod`) and are stored
 * as a host or user. A stored entity wins; otherwise the first strongly-shaped candidate (UUID,
 * IP, user, a name with two dots or more) is still the answer, with nothing stored about it:
 * `sshd.service` or `e.g.` count only when stored. No model involved.
 */
import { canonicalEntity } from '../../main/core/entity/identity.js';
import { extractEntities } from '../../main/core/entity/extract.js';
import type { EntityType } from '../../main/core/event.js';
import type { EntitiesRepository } from '../../main/storage/entities-repository.js';

export interface NamedEntity {
  entityId: string;
  /** null for a UUID that is not stored. */
  entityType: EntityType | null;
  value: string;
  stored: boolean;
}

interface Candidate {
  id: string;
  type: EntityType | null;
  value: string;
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const EMAIL_USER = /(?<![\w.+-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi;
const DOMAIN_USER = /(?<![\w\\])[a-z0-9][\w.-]*\\[\w.$-]+/gi;
const FQDN = /(?<![\w.@-])(?=[a-z0-9-]*[a-z])[a-z0-9-]+(?:\.[a-z0-9-]+)+(?![\w@-])/gi;
/** Words with a digit, hyphen or underscore: candidate host or user names. */
const NAME_WORD = /(?<![\w.@\\-])[a-z][a-z0-9]*[0-9_-][\w-]*(?![\w.@\\-])/gi;
const MAX_NAME_WORDS = 16;

function resolve(type: EntityType, raw: string): Candidate | undefined {
  const found = canonicalEntity(type, raw);
  return found && { id: found.id, type, value: found.value };
}

/** Candidates shaped like an entity whatever the store holds (`strong`), and those that count only when stored. */
function candidates(question: string): { strong: Candidate[]; weak: Candidate[] } {
  const candidates: Candidate[] = [];
  const weak: Candidate[] = [];
  for (const m of question.match(UUID) ?? []) candidates.push({ id: m.toLowerCase(), type: null, value: m.toLowerCase() });
  for (const ref of extractEntities({ message: question })) {
    if (ref.type === 'ip' || ref.type === 'user') candidates.push({ id: ref.id, type: ref.type, value: ref.value });
  }
  for (const m of [...(question.match(EMAIL_USER) ?? []), ...(question.match(DOMAIN_USER) ?? [])]) {
    const user = resolve('user', m);
    if (user) candidates.push(user);
  }
  const withoutEmails = question.replace(EMAIL_USER, ' ');
  for (const m of withoutEmails.match(FQDN) ?? []) {
    if (/^[\d.]+$/.test(m)) continue; // an IP, already handled
    for (const type of ['host', 'domain'] as const) {
      const named = resolve(type, m);
      if (named) (m.split('.').length > 2 ? candidates : weak).push(named);
    }
  }
  for (const word of (question.match(NAME_WORD) ?? []).slice(0, MAX_NAME_WORDS)) {
    for (const type of ['host', 'user'] as const) {
      const named = resolve(type, word);
      if (named) weak.push(named);
    }
  }
  return { strong: candidates, weak };
}

export async function findEntityInQuestion(question: string, entities: EntitiesRepository): Promise<NamedEntity | undefined> {
  const { strong, weak } = candidates(question);
  for (const candidate of [...strong, ...weak]) {
    const stored = await entities.get(candidate.id);
    if (stored) return { entityId: stored.entityId, entityType: stored.entityType, value: stored.value, stored: true };
  }
  const first = strong[0];
  return first && { entityId: first.id, entityType: first.type, value: first.value, stored: false };
}
