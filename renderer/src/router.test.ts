import { describe, expect, it } from 'vitest';
import { legacyHashTarget } from './router';

describe('legacyHashTarget', () => {
  it("sends the original dashboard's hashes to their routes", () => {
    expect(legacyHashTarget('#entity=00CD565B-0e19-52b5-9029-45d1ae8929be&range=24h')).toEqual({
      name: 'entity',
      params: { uuid: '00cd565b-0e19-52b5-9029-45d1ae8929be' },
    });
    expect(legacyHashTarget('#coverage')).toBe('/attack');
    expect(legacyHashTarget('#sigma-rules')).toBe('/sigma');
    expect(legacyHashTarget('#/alerts/wu-001')).toBe('/alerts/wu-001');
    expect(legacyHashTarget('#results')).toBeUndefined();
    expect(legacyHashTarget('')).toBeUndefined();
  });
});
