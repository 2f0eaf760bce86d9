import { describe, expect, it } from 'vitest';
import { NO_TEMPLATE, TemplateWeights } from './template-weights.js';

describe('TemplateWeights', () => {
  it('decays every weight by (1 − α) and adds α to the observed template', () => {
    const weights = new TemplateWeights(4, 0.5);
    weights.observe(7);
    weights.observe(7);
    weights.observe(9);
    // 7: 0.5 → 0.75 → 0.375; 9: 0.5
    expect(weights.entries()).toEqual([
      [9, 0.5],
      [7, 0.375],
    ]);
  });

  it('scores 0 for the heaviest template, 1 for one outside the top K, proportionally between', () => {
    const weights = new TemplateWeights(4, 0.5);
    weights.observe(7);
    weights.observe(7);
    weights.observe(9);
    expect(weights.noveltyScore(9)).toBe(0);
    expect(weights.noveltyScore(7)).toBe(0.25);
    expect(weights.noveltyScore(42)).toBe(1);
  });

  it('ignores template −1 (empty messages) both ways', () => {
    const weights = new TemplateWeights(4, 0.5);
    weights.observe(NO_TEMPLATE);
    expect(weights.size).toBe(0);
    expect(weights.noveltyScore(NO_TEMPLATE)).toBe(0);
  });

  it('admits a new template to a full top K only over the weakest weight', () => {
    const weights = new TemplateWeights(2, 0.1);
    for (let i = 0; i < 20; i++) weights.observe(1);
    weights.observe(2); // 2 enters: there is room
    weights.observe(3); // full; 2 (0.09) is weaker than a fresh 0.1: replaced
    expect(weights.entries().map(([id]) => id)).toEqual([1, 3]);
    for (let i = 0; i < 30; i++) weights.observe(3);
    weights.observe(4); // 1 has decayed below 0.1: replaced; 3 stays
    expect(weights.entries().map(([id]) => id)).toEqual([3, 4]);
  });
});
