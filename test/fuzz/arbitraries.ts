/**
 * Input generators for the hostile-input tests: random text with the characters parsers trip
 * on (quotes, brackets, control characters, surrogates, very long runs), and values built from
 * the fragments of each format so the parsers get past their first check.
 */
import fc from 'fast-check';

/** Any text, including lone surrogates and control characters. */
export const anyText = fc.string({ unit: 'binary', maxLength: 2000 });

/** Text assembled from a format's own fragments (keeps the parser busy past its first byte). */
export function textOf(fragments: readonly string[], maxLength = 60): fc.Arbitrary<string> {
  return fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength }).map((parts) => parts.join(''));
}

/** Arbitrary JSON values, nested, with hostile strings. */
export const anyJson = fc.jsonValue({ maxDepth: 6 });

/** JSON text: valid JSON most of the time, cut or corrupted some of the time. */
export const jsonText = fc.oneof(
  anyJson.map((value) => JSON.stringify(value)),
  fc.tuple(anyJson, fc.nat()).map(([value, cut]) => {
    const text = JSON.stringify(value) ?? '';
    return text.slice(0, cut % (text.length + 1));
  }),
  anyText,
);

/** Property-run settings shared by the hostile-input tests: a fixed seed, so a failure replays. */
export const RUNS = { numRuns: 400, seed: 20261130 } as const;
