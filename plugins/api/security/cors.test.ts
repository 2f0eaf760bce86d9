import { describe, expect, it } from 'vitest';
import { corsOptions } from './cors.js';

describe('corsOptions', () => {
  it('is off (same origin only) when no origin is configured', () => {
    expect(corsOptions({ api_allowed_origins: [] })).toBe(false);
  });

  it('lists the configured origins as browsers send them, with the contract headers', () => {
    expect(corsOptions({ api_allowed_origins: ['https://Ops.Example:443/', 'http://localhost:5173', 'http://localhost:5173/'] })).toEqual({
      origin: ['https://ops.example', 'http://localhost:5173'],
      headers: ['Accept', 'Authorization', 'Content-Type'],
      additionalExposedHeaders: ['Retry-After'],
      maxAge: 600,
      credentials: false,
    });
  });
});
