/**
 * Feeds a byte stream of log lines (stdin, a file being imported, a decompressed .gz) into the
 * pipeline, waiting whenever the queue is full instead of dropping: batch input is never lost.
 */
import type { Readable } from 'node:stream';
import type { RawEvent, SourceType } from '../../main/core/event.js';
import type { Pipeline } from '../../main/core/pipeline.js';
import { LineSplitter } from './line-splitter.js';

const WAIT_MS = 5;

export interface FeedOptions {
  sourceType: SourceType;
  sourceId: string;
  clock: () => bigint;
  maxLineBytes: number;
  /** Called after each chunk with the bytes read so far (for progress bars). */
  onProgress?: (bytes: number) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Hand `texts` to the pipeline, waiting for room in the queue (never dropping). */
export async function deliverTexts(
  texts: Array<{ text: string; truncated: boolean }>,
  pipeline: Pipeline,
  options: Pick<FeedOptions, 'sourceType' | 'sourceId' | 'clock'>,
): Promise<void> {
  // In queue-sized pieces, so a chunk larger than the whole queue still fits.
  for (let i = 0; i < texts.length; i += pipeline.queueCapacity) {
    const piece = texts.slice(i, i + pipeline.queueCapacity);
    while (!pipeline.hasRoom(piece.length)) await sleep(WAIT_MS);
    const receivedNs = options.clock();
    const raws: RawEvent[] = piece.map((line) => ({
      sourceType: options.sourceType,
      sourceId: options.sourceId,
      receivedNs,
      line: line.text,
      truncated: line.truncated,
    }));
    void pipeline.submit(raws);
  }
}

/** Resolves with the number of lines handed to the pipeline once the stream ends. */
export async function feedLines(input: Readable, pipeline: Pipeline, options: FeedOptions): Promise<number> {
  const splitter = new LineSplitter(options.maxLineBytes);
  let lines = 0;
  let bytes = 0;
  const deliver = async (texts: Array<{ text: string; truncated: boolean }>) => {
    await deliverTexts(texts, pipeline, options);
    lines += texts.length;
  };
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    bytes += buffer.length;
    await deliver(splitter.push(buffer).lines);
    options.onProgress?.(bytes);
  }
  // A last line without its newline still counts at the end of a stream.
  await deliver(splitter.push(Buffer.from('\n')).lines);
  return lines;
}
