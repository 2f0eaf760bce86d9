/**
 * Prompt size control (reference §12): each field is clipped, and a prompt made of a fixed head,
 * a list of lines (events, oldest first) and a fixed tail is kept under a character budget by
 * dropping the oldest lines first. Reports whether anything was cut.
 */

/** Longest single field (the original's 512). */
export const MAX_FIELD_CHARS = 512;

export interface Fitted {
  text: string;
  /** Lines that did not fit, from the oldest. */
  dropped: number;
}

/** `text` on one line, at most `max` characters (an ellipsis marks the cut). */
export function clip(text: string, max = MAX_FIELD_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** head + the newest lines that fit + tail, within `maxChars` (head and tail are always kept). */
export function fitLines(head: string, lines: readonly string[], tail: string, maxChars: number): Fitted {
  let room = maxChars - head.length - tail.length;
  let kept = 0;
  for (let i = lines.length - 1; i >= 0 && lines[i]!.length + 1 <= room; i--) {
    room -= lines[i]!.length + 1;
    kept++;
  }
  const body = lines.slice(lines.length - kept).map((line) => `${line}\n`).join('');
  return { text: `${head}${body}${tail}`, dropped: lines.length - kept };
}

/** ISO-8601 (ms) of a nanosecond time. */
export function isoOf(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString();
}
