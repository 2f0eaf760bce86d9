import { describe, expect, it } from 'vitest';
import { objectSchema, parseModelJson, schemaProblems } from './json-schema.js';

const schema = objectSchema({
  title: { type: 'string', maxLength: 5 },
  level: { enum: ['low', 'high'] },
  note: { type: ['string', 'null'] },
  tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
});

describe('schemaProblems', () => {
  it('accepts a value that matches', () => {
    expect(schemaProblems(schema, { title: 'ok', level: 'low', note: null, tags: ['a'] })).toEqual([]);
  });

  it('names every problem with its path', () => {
    expect(schemaProblems(schema, { title: 'too long', level: 'mid', tags: ['a', 'b', 'c'], extra: 1 })).toEqual([
      '$.note: missing',
      '$.extra: not allowed',
      '$.title: longer than 5',
      '$.level: not one of ["low","high"]',
      '$.tags: more than 2 items',
    ]);
    expect(schemaProblems(schema, { title: 'a', level: 'low', note: 3, tags: [1] })).toEqual(['$.note: expected a string', '$.tags[0]: expected a string']);
  });
});

describe('parseModelJson', () => {
  it('reads plain JSON, or the object inside prose and code fences', () => {
    const value = { title: 'x', level: 'high', note: null, tags: [] };
    expect(parseModelJson(schema, JSON.stringify(value))).toEqual(value);
    expect(parseModelJson(schema, `Sure!\n\`\`\`json\n${JSON.stringify(value)}\n\`\`\``)).toEqual(value);
  });

  it('throws, saying why, on prose or a mismatch', () => {
    expect(() => parseModelJson(schema, 'no idea')).toThrow('the model did not answer JSON: "no idea"');
    expect(() => parseModelJson(schema, '{"title":"x"}')).toThrow("the model's JSON does not match its schema: $.level: missing; $.note: missing; $.tags: missing");
  });
});
