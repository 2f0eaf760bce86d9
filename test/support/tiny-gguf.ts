/**
 * Writes a tiny GGUF model (v3, llama architecture) so tests run node-llama-cpp's real loading
 * and generation path without downloading weights: 2 layers, 64 wide, a byte-level vocabulary
 * (`<0x00>`…`<0xFF>` plus `<unk>`, `<s>`, `</s>`, `▁`), F32 seeded random weights, a ChatML chat
 * template. About 470 KB, written in well under a second.
 *
 * Random weights babble forever; one embedding dimension is held constant (no layer writes to
 * it) and feeds a bias column of `output.weight` that favours `"`, `}`, `]` and lower-case ASCII
 * and rules out bytes >= 0x80, so grammar-constrained JSON ends after a few tokens
 * (see notes/stack.md). Every key whose absence aborts llama.cpp's loader is written.
 */
import fs from 'node:fs';
import { seededRandom } from '../../main/core/random.js';

const EMBED = 64;
const LAYERS = 2;
const FEED_FORWARD = 128;
const HEADS = 4;
const ALIGNMENT = 32;
const SPECIALS = ['<unk>', '<s>', '</s>'] as const;
/** SentencePiece's space: without it spaces would round-trip as the bytes of `▁`. */
const SPACE = '\u2581';
const FIRST_BYTE = SPECIALS.length + 1;
const VOCAB = FIRST_BYTE + 256;

const CHATML =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

type Value =
  | { type: 'u32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: string[] }
  | { type: 'i32s'; value: number[] }
  | { type: 'f32s'; value: number[] };

/** GGUF value type ids. */
const TYPE = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9 } as const;

class Writer {
  readonly #chunks: Buffer[] = [];
  length = 0;

  push(buffer: Buffer): void {
    this.#chunks.push(buffer);
    this.length += buffer.length;
  }

  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }

  u64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }

  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }

  pad(): void {
    const rest = this.length % ALIGNMENT;
    if (rest !== 0) this.push(Buffer.alloc(ALIGNMENT - rest));
  }

  value(entry: Value): void {
    const scalar = (type: number, write: () => void) => {
      this.u32(type);
      write();
    };
    const array = (type: number, count: number, write: () => void) => {
      this.u32(TYPE.array);
      this.u32(type);
      this.u64(count);
      write();
    };
    switch (entry.type) {
      case 'u32':
        return scalar(TYPE.u32, () => this.u32(entry.value));
      case 'f32':
        return scalar(TYPE.f32, () => this.push(f32(entry.value)));
      case 'bool':
        return scalar(TYPE.bool, () => this.push(Buffer.from([entry.value ? 1 : 0])));
      case 'string':
        return scalar(TYPE.string, () => this.string(entry.value));
      case 'strings':
        return array(TYPE.string, entry.value.length, () => entry.value.forEach((s) => this.string(s)));
      case 'i32s':
        return array(TYPE.i32, entry.value.length, () => entry.value.forEach((n) => this.push(i32(n))));
      case 'f32s':
        return array(TYPE.f32, entry.value.length, () => entry.value.forEach((n) => this.push(f32(n))));
    }
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

function f32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeFloatLE(value);
  return b;
}

function i32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(value);
  return b;
}

/** The logit each token gets from the constant dimension (before sampling temperature). */
function tokenBias(token: number): number {
  if (token < SPECIALS.length) return token === 2 ? 2 : -30; // </s> may end; <unk>, <s> never
  if (token < FIRST_BYTE) return 2; // ▁
  const byte = token - FIRST_BYTE;
  if (byte >= 0x80) return -30;
  const ch = String.fromCharCode(byte);
  if (ch === '"' || ch === '}' || ch === ']') return 5;
  if (ch >= 'a' && ch <= 'z') return 4;
  if (ch === ' ' || ch === '-' || ch === '.') return 2;
  return 0;
}

interface Tensor {
  name: string;
  dims: number[];
  data: Float32Array;
}

function tensors(seed: number): Tensor[] {
  const next = seededRandom(seed);
  const noise = (n: number, scale: number) => Float32Array.from({ length: n }, () => (next() * 2 - 1) * scale);
  const ones = (n: number) => new Float32Array(n).fill(1);
  // Rows that write the residual stream: row 0 stays zero so dimension 0 keeps its constant.
  const keepConstant = (data: Float32Array, rowLength: number) => {
    data.fill(0, 0, rowLength);
    return data;
  };

  const embedding = noise(EMBED * VOCAB, 0.02);
  for (let t = 0; t < VOCAB; t++) embedding[t * EMBED] = 1;
  const output = noise(EMBED * VOCAB, 0.02);
  // After RMS norm the constant dimension is ~sqrt(EMBED): scale the bias column back down.
  for (let t = 0; t < VOCAB; t++) output[t * EMBED] = tokenBias(t) / Math.sqrt(EMBED);

  const list: Tensor[] = [
    { name: 'token_embd.weight', dims: [EMBED, VOCAB], data: embedding },
    { name: 'output_norm.weight', dims: [EMBED], data: ones(EMBED) },
    { name: 'output.weight', dims: [EMBED, VOCAB], data: output },
  ];
  for (let layer = 0; layer < LAYERS; layer++) {
    const blk = `blk.${layer}`;
    list.push(
      { name: `${blk}.attn_norm.weight`, dims: [EMBED], data: ones(EMBED) },
      { name: `${blk}.attn_q.weight`, dims: [EMBED, EMBED], data: noise(EMBED * EMBED, 0.1) },
      { name: `${blk}.attn_k.weight`, dims: [EMBED, EMBED], data: noise(EMBED * EMBED, 0.1) },
      { name: `${blk}.attn_v.weight`, dims: [EMBED, EMBED], data: noise(EMBED * EMBED, 0.1) },
      { name: `${blk}.attn_output.weight`, dims: [EMBED, EMBED], data: keepConstant(noise(EMBED * EMBED, 0.1), EMBED) },
      { name: `${blk}.ffn_norm.weight`, dims: [EMBED], data: ones(EMBED) },
      { name: `${blk}.ffn_gate.weight`, dims: [EMBED, FEED_FORWARD], data: noise(EMBED * FEED_FORWARD, 0.1) },
      { name: `${blk}.ffn_up.weight`, dims: [EMBED, FEED_FORWARD], data: noise(EMBED * FEED_FORWARD, 0.1) },
      { name: `${blk}.ffn_down.weight`, dims: [FEED_FORWARD, EMBED], data: keepConstant(noise(FEED_FORWARD * EMBED, 0.1), FEED_FORWARD) },
    );
  }
  return list;
}

function metadata(name: string): Array<[string, Value]> {
  const tokens = [...SPECIALS, SPACE, ...Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`)];
  // Token types: 1 normal, 2 unknown, 3 control, 6 byte.
  const types = tokens.map((_, i) => (i === 0 ? 2 : i < SPECIALS.length ? 3 : i < FIRST_BYTE ? 1 : 6));
  return [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: name }],
    ['general.alignment', { type: 'u32', value: ALIGNMENT }],
    ['llama.context_length', { type: 'u32', value: 4096 }],
    ['llama.embedding_length', { type: 'u32', value: EMBED }],
    ['llama.block_count', { type: 'u32', value: LAYERS }],
    ['llama.feed_forward_length', { type: 'u32', value: FEED_FORWARD }],
    ['llama.attention.head_count', { type: 'u32', value: HEADS }],
    ['llama.attention.head_count_kv', { type: 'u32', value: HEADS }],
    ['llama.rope.dimension_count', { type: 'u32', value: EMBED / HEADS }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'strings', value: tokens }],
    ['tokenizer.ggml.scores', { type: 'f32s', value: tokens.map(() => 0) }],
    ['tokenizer.ggml.token_type', { type: 'i32s', value: types }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: 0 }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: 2 }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.ggml.add_space_prefix', { type: 'bool', value: false }],
    ['tokenizer.chat_template', { type: 'string', value: CHATML }],
  ];
}

export interface TinyGgufOptions {
  /** Weight seed (default 1). */
  seed?: number;
  /** `general.name` (default `seerflow-tiny`). */
  name?: string;
  /** Metadata keys to leave out (to make a model llama.cpp would abort on). */
  omit?: readonly string[];
}

/** The tiny model's bytes. */
export function tinyGguf(options: TinyGgufOptions = {}): Buffer {
  const list = tensors(options.seed ?? 1);
  const meta = metadata(options.name ?? 'seerflow-tiny').filter(([key]) => !options.omit?.includes(key));
  const out = new Writer();
  out.push(Buffer.from('GGUF', 'ascii'));
  out.u32(3);
  out.u64(list.length);
  out.u64(meta.length);
  for (const [key, value] of meta) {
    out.string(key);
    out.value(value);
  }
  let offset = 0;
  for (const tensor of list) {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    tensor.dims.forEach((d) => out.u64(d));
    out.u32(0); // F32
    out.u64(offset);
    offset += Math.ceil(tensor.data.byteLength / ALIGNMENT) * ALIGNMENT;
  }
  out.pad();
  for (const tensor of list) {
    out.push(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    out.pad();
  }
  return out.toBuffer();
}

/** Write the tiny model to `file` and return the path. */
export function writeTinyGguf(file: string, options: TinyGgufOptions = {}): string {
  fs.writeFileSync(file, tinyGguf(options));
  return file;
}
