/**
 * Readers for CEF and LEEF written from their specs, independent of the formatters, so tests can
 * check that what was written reads back as the alert's values.
 */

/** The first `count` pipe-separated header fields, `\x` unescaped, and the rest of the line. */
function splitHeader(line: string, count: number): { header: string[]; rest: string } {
  const header: string[] = [];
  let field = '';
  let i = 0;
  for (; header.length < count; i++) {
    const c = line[i];
    if (c === undefined) throw new Error(`the header has fewer than ${count} fields: ${line.slice(0, 200)}`);
    if (c === '\\') field += line[++i];
    else if (c === '|') {
      header.push(field);
      field = '';
    } else field += c;
  }
  return { header, rest: line.slice(i) };
}

/** CEF: seven header fields; extension keys found by an unescaped `key=` after a space. */
export function readCef(line: string): { header: string[]; ext: Record<string, string> } {
  const { header, rest } = splitHeader(line, 7);
  const ext: Record<string, string> = {};
  const keys = [...rest.matchAll(/(?:^| )([A-Za-z0-9]+)=/g)].filter((m) => rest[m.index + m[0].length - 2] !== '\\');
  keys.forEach((m, k) => {
    const start = m.index + m[0].length;
    const end = k + 1 < keys.length ? keys[k + 1]!.index : rest.length;
    ext[m[1]!] = rest.slice(start, end).replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
  });
  return { header, ext };
}

/** LEEF 2.0 with a tab delimiter: six header fields, then pairs split at their first `=`. */
export function readLeef(line: string): { header: string[]; attributes: Record<string, string> } {
  const { header, rest } = splitHeader(line, 6);
  if (header[5] !== 'x09') throw new Error(`expected the tab delimiter, got ${header[5]}`);
  const attributes: Record<string, string> = {};
  for (const pair of rest.split('\t')) {
    const eq = pair.indexOf('=');
    attributes[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { header, attributes };
}
