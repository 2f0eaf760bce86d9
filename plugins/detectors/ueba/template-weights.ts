/**
 * An entity's usual templates as decayed weights, keeping the top K (`ueba.template_top_k`,
 * default 32): each event decays every weight by (1 − α) and adds α to its own template, so a
 * weight is the template's recent share of the entity's events. The pattern-novelty sub-score
 * says how rare the event's template is for the entity (reference §8). Template −1 (an empty
 * message) is neither learned nor scored.
 */

export const NO_TEMPLATE = -1;

export class TemplateWeights {
  readonly #k: number;
  readonly #alpha: number;
  readonly #ids: number[] = [];
  readonly #weights: number[] = [];

  /** `k`: templates kept (≥ 1); `alpha`: `ueba.ema_alpha`, in (0, 1]. */
  constructor(k: number, alpha: number) {
    this.#k = k;
    this.#alpha = alpha;
  }

  get size(): number {
    return this.#ids.length;
  }

  observe(templateId: number): void {
    if (templateId === NO_TEMPLATE) return;
    const ids = this.#ids;
    const weights = this.#weights;
    const keep = 1 - this.#alpha;
    let at = -1;
    let weakest = 0;
    for (let i = 0; i < ids.length; i++) {
      weights[i]! *= keep;
      if (ids[i] === templateId) at = i;
      if (weights[i]! < weights[weakest]!) weakest = i;
    }
    if (at >= 0) weights[at]! += this.#alpha;
    else if (ids.length < this.#k) {
      ids.push(templateId);
      weights.push(this.#alpha);
    } else if (weights[weakest]! < this.#alpha) {
      // A new template enters the top K only by outweighing the weakest (ties keep the incumbent).
      ids[weakest] = templateId;
      weights[weakest] = this.#alpha;
    }
  }

  /** Restore one entry from saved state (in saved order, at most K). */
  restore(templateId: number, weight: number): void {
    if (this.#ids.length >= this.#k) return;
    this.#ids.push(templateId);
    this.#weights.push(weight);
  }

  /** 0 for template −1; 1 for a template outside the top K; else `1 − weight / max weight`. */
  noveltyScore(templateId: number): number {
    if (templateId === NO_TEMPLATE) return 0;
    const at = this.#ids.indexOf(templateId);
    if (at < 0) return 1;
    let max = 0;
    for (const weight of this.#weights) if (weight > max) max = weight;
    return max > 0 ? 1 - this.#weights[at]! / max : 0;
  }

  /** `[template id, weight]`, heaviest first. */
  entries(): Array<[number, number]> {
    return this.#ids.map((id, i): [number, number] => [id, this.#weights[i]!]).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  }
}
