/**
 * Splits file bytes into complete lines, remembering a partial last line until its newline
 * arrives. A line longer than `maxLineBytes` is cut there (and counted); the rest of it, up to
 * its newline, is skipped, so memory stays bounded whatever the file holds. `consumed` tells how
 * many input bytes the returned lines account for, which is what a checkpoint may advance by.
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  #partial: Buffer[] = [];
  #partialBytes = 0;
  #skipping = false;
  truncated = 0;

  constructor(maxLineBytes: number) {
    this.#maxLineBytes = maxLineBytes;
  }

  /** Bytes held in the partial line (not yet accounted for by a returned line). */
  get pendingBytes(): number {
    return this.#partialBytes;
  }

  push(chunk: Buffer): { lines: Array<{ text: string; truncated: boolean }>; consumed: number } {
    const lines: Array<{ text: string; truncated: boolean }> = [];
    let consumed = 0;
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      if (this.#skipping) {
        this.#skipping = false;
      } else {
        const bytes = this.#partial.length > 0 ? Buffer.concat([...this.#partial, piece]) : piece;
        const cut = bytes.length > this.#maxLineBytes;
        if (cut) this.truncated++;
        let text = (cut ? bytes.subarray(0, this.#maxLineBytes) : bytes).toString('utf8');
        if (text.endsWith('\r')) text = text.slice(0, -1);
        if (text.trim() !== '') lines.push({ text, truncated: cut });
      }
      consumed += this.#partialBytes + (nl + 1 - start);
      this.#partial = [];
      this.#partialBytes = 0;
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0 && !this.#skipping) {
      if (this.#partialBytes + rest.length > this.#maxLineBytes) {
        // Emit the first max bytes now; drop the remainder of this line as it arrives.
        const bytes = Buffer.concat([...this.#partial, rest]);
        this.truncated++;
        lines.push({ text: bytes.subarray(0, this.#maxLineBytes).toString('utf8'), truncated: true });
        this.#partial = [];
        this.#partialBytes = 0;
        this.#skipping = true;
        consumed += bytes.length;
      } else {
        this.#partial.push(Buffer.from(rest));
        this.#partialBytes += rest.length;
      }
    } else if (this.#skipping) {
      consumed += rest.length;
    }
    return { lines, consumed };
  }
}
