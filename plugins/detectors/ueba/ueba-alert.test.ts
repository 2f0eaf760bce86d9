import { describe, expect, it } from 'vitest';
import { uebaSeverity } from './ueba-alert.js';

describe('uebaSeverity', () => {
  it('is 1 + ⌊6·composite⌋ within 1–6 (reference §18 vector 11: 0.8 → 5)', () => {
    expect([0, 0.1, 0.17, 0.5, 0.75, 0.8, 0.99, 1].map(uebaSeverity)).toEqual([1, 1, 2, 4, 5, 5, 6, 6]);
  });
});
