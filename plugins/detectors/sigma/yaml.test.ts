import { describe, expect, it } from 'vitest';
import { parseYamlDocuments, toPlain, type YMap } from './yaml.js';

describe('parseYamlDocuments', () => {
  it('keeps 1-based positions of keys and values', () => {
    const { documents, errors } = parseYamlDocuments('title: x\ndetection:\n    sel:\n        Image: a\n', 'r.yml');
    expect(errors).toEqual([]);
    const root = documents[0]?.root as YMap;
    expect(root.entries.map((entry) => [entry.key, entry.keyPos])).toEqual([
      ['title', { line: 1, col: 1 }],
      ['detection', { line: 2, col: 1 }],
    ]);
    const sel = ((root.entries[1]?.value as YMap).entries[0]?.value as YMap).entries[0];
    expect(sel?.keyPos).toEqual({ line: 4, col: 9 });
    expect(sel?.value.pos).toEqual({ line: 4, col: 16 });
  });

  it('splits a multi-document stream and keeps each document text and start line', () => {
    const { documents } = parseYamlDocuments('a: 1\n---\nb: 2\n---\nc: 3\n', 'multi.yml');
    expect(documents.map((doc) => [doc.index, doc.pos.line, doc.text.trim(), toPlain(doc.root)])).toEqual([
      [0, 1, 'a: 1', { a: 1 }],
      [1, 3, 'b: 2', { b: 2 }],
      [2, 5, 'c: 3', { c: 3 }],
    ]);
  });

  it('keeps numbers as written and does not turn dates or yes into other types', () => {
    const { documents } = parseYamlDocuments('a: 0x1F\nb: 1.0\nc: 2024-01-02\nd: yes\ne: ~\n', 'r.yml');
    const root = documents[0]?.root as YMap;
    expect(root.entries.map((entry) => entry.value)).toMatchObject([
      { value: 31, source: '0x1F' },
      { value: 1, source: '1.0' },
      { value: '2024-01-02' },
      { value: 'yes' },
      { value: null },
    ]);
  });

  it('reports a syntax error with its line and column and still loads the other documents', () => {
    const { documents, errors } = parseYamlDocuments('a: 1\n---\nb: [1, 2\nc: 3\n---\nd: 4\n', 'broken.yml');
    expect(documents.map((doc) => toPlain(doc.root))).toEqual([{ a: 1 }, { d: 4 }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'YAML_SYNTAX', stage: 'yaml', file: 'broken.yml', line: 4, col: 1 });
  });

  it('rejects duplicate keys at the duplicate', () => {
    const { errors } = parseYamlDocuments('title: a\nlevel: high\ntitle: b\n', 'dup.yml');
    expect(errors[0]).toMatchObject({ code: 'YAML_SYNTAX', line: 3, col: 1 });
    expect(errors[0]?.hint).toMatch(/once/);
  });

  it('reports a bad indentation as a YAML error, not a crash', () => {
    const { errors } = parseYamlDocuments('detection:\n  sel:\n    a: 1\n   b: 2\n', 'indent.yml');
    expect(errors[0]).toMatchObject({ stage: 'yaml', line: 4 });
  });

  it('bounds alias expansion (billion laughs)', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 6; i++) bomb.push(`${'bcdefg'[i]}: &${'bcdefg'[i]} [${Array(10).fill(`*${i === 0 ? 'a' : 'bcdefg'[i - 1]}`).join(', ')}]`);
    const { documents, errors } = parseYamlDocuments(bomb.join('\n'), 'bomb.yml');
    expect(documents).toEqual([]);
    expect(errors[0]?.code).toBe('YAML_LIMIT');
  });

  it('gives an empty document a null root', () => {
    const { documents } = parseYamlDocuments('---\n', 'empty.yml');
    expect(documents.every((doc) => doc.root === null)).toBe(true);
  });
});
