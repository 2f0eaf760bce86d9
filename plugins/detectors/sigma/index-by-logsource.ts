/**
 * Which rules apply to an event, by logsource. A rule applies when each non-empty field of its
 * logsource (product, category, service) equals the event's; a category also covers its child
 * categories (`registry_event` covers `registry_set`… through LOGSOURCE_PARENT_CATEGORY). Values
 * compare case-insensitively (rules are lower-cased when parsed; events are lower-cased here).
 *
 * Rules sit in buckets keyed by their (product, category, service); an event looks up the at
 * most 12 keys that can apply to it. The result per event logsource is cached (the cache is
 * cleared when rules change and when it reaches MAX_CACHED_LOGSOURCES, since an event's
 * logsource may come from outside).
 */
import type { Logsource } from '../../../main/core/event.js';
import { LOGSOURCE_PARENT_CATEGORY } from '../../../main/core/logsource.js';

/** Distinct event logsources whose candidate lists are kept at once. */
export const MAX_CACHED_LOGSOURCES = 1024;

/** True when every non-empty field of `rule` holds for the event's logsource. */
export function logsourceMatches(rule: Partial<Logsource>, event: Logsource): boolean {
  const product = rule.product ?? '';
  const category = rule.category ?? '';
  const service = rule.service ?? '';
  if (product !== '' && product !== event.product.toLowerCase()) return false;
  if (service !== '' && service !== event.service.toLowerCase()) return false;
  if (category !== '') {
    const own = event.category.toLowerCase();
    if (category !== own && category !== LOGSOURCE_PARENT_CATEGORY[own]) return false;
  }
  return true;
}

function keyOf(product: string, category: string, service: string): string {
  return `${product}\u0000${category}\u0000${service}`;
}

/** An index of items by the logsource they apply to. */
export class LogsourceIndex<T> {
  readonly #buckets = new Map<string, T[]>();
  readonly #cache = new Map<string, T[]>();

  add(logsource: Partial<Logsource>, item: T): void {
    const key = keyOf(logsource.product ?? '', logsource.category ?? '', logsource.service ?? '');
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = [];
      this.#buckets.set(key, bucket);
    }
    bucket.push(item);
    this.#cache.clear();
  }

  remove(logsource: Partial<Logsource>, item: T): boolean {
    const key = keyOf(logsource.product ?? '', logsource.category ?? '', logsource.service ?? '');
    const bucket = this.#buckets.get(key);
    const at = bucket?.indexOf(item) ?? -1;
    if (!bucket || at === -1) return false;
    bucket.splice(at, 1);
    if (bucket.length === 0) this.#buckets.delete(key);
    this.#cache.clear();
    return true;
  }

  /**
   * The items that apply to an event of this logsource, in insertion order per bucket. The
   * array is shared and cached: do not modify it.
   */
  candidates(logsource: Logsource): T[] {
    const cacheKey = keyOf(logsource.product, logsource.category, logsource.service);
    const cached = this.#cache.get(cacheKey);
    if (cached) return cached;
    const product = logsource.product.toLowerCase();
    const service = logsource.service.toLowerCase();
    const category = logsource.category.toLowerCase();
    const parent = LOGSOURCE_PARENT_CATEGORY[category];
    const products = product === '' ? [''] : ['', product];
    const services = service === '' ? [''] : ['', service];
    const categories = category === '' ? [''] : parent ? ['', category, parent] : ['', category];
    const out: T[] = [];
    for (const p of products) {
      for (const c of categories) {
        for (const s of services) {
          const bucket = this.#buckets.get(keyOf(p, c, s));
          if (bucket) out.push(...bucket);
        }
      }
    }
    if (this.#cache.size >= MAX_CACHED_LOGSOURCES) this.#cache.clear();
    this.#cache.set(cacheKey, out);
    return out;
  }
}
