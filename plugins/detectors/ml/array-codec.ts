/**
 * Typed arrays in saved state as base64 of their bytes (little-endian, as every platform Node
 * runs on): exact (a restore gives back the very same doubles, which determinism across a
 * restart needs) and much shorter than JSON numbers for the large arrays (seasons, tail
 * excesses, tree masses).
 */
function bytesOf(array: Float64Array | Uint16Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function decode(text: string, width: number): Uint8Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % width !== 0) throw new Error('saved array has a partial value');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

export function encodeFloats(values: Float64Array | readonly number[]): string {
  return bytesOf(values instanceof Float64Array ? values : Float64Array.from(values));
}

export function decodeFloats(text: string): Float64Array {
  const bytes = decode(text, 8);
  return new Float64Array(bytes.buffer, 0, bytes.length / 8);
}

export function encodeCounts(values: Uint16Array): string {
  return bytesOf(values);
}

export function decodeCounts(text: string): Uint16Array {
  const bytes = decode(text, 2);
  return new Uint16Array(bytes.buffer, 0, bytes.length / 2);
}
