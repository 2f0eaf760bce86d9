/**
 * Checks a GGUF file before node-llama-cpp loads it. llama.cpp aborts the whole process
 * (uncatchable) on a file that lacks some metadata, so a user-supplied model is read with
 * `readGgufFileInfo` (a pure-JS parser) first and refused unless it is readable, is GGUF, and
 * carries every key whose absence is fatal (notes/stack.md). The answer says what is wrong.
 */
import fs from 'node:fs/promises';
import { readGgufFileInfo } from 'node-llama-cpp';

/** Keys under the architecture's prefix that llama.cpp requires (the `llama.` ones, generalized). */
const ARCHITECTURE_KEYS = ['context_length', 'embedding_length', 'block_count', 'attention.head_count'] as const;
const TOKENIZER_MODELS = new Set(['llama', 'gpt2', 'bert', 't5', 'rwkv', 'plamo2', 'none']);

export interface ModelInfo {
  path: string;
  bytes: number;
  name: string;
  architecture: string;
  contextLength: number;
}

export type ModelCheck = { ok: true; info: ModelInfo } | { ok: false; reason: string };

/** Read a nested metadata value such as `llama.attention.head_count`. */
function lookup(metadata: unknown, dotted: string): unknown {
  let node = metadata;
  for (const part of dotted.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export async function checkModelFile(file: string): Promise<ModelCheck> {
  let bytes: number;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return { ok: false, reason: `model_path ${file} is not a file` };
    bytes = stat.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? `model file not found: ${file} (set llm.model_path, or run \`seerflow models pull\`)` : `cannot read the model file ${file}: ${code}` };
  }
  let metadata: unknown;
  try {
    metadata = (await readGgufFileInfo(file, { sourceType: 'filesystem', readTensorInfo: false })).metadata;
  } catch (error) {
    return { ok: false, reason: `${file} is not a valid GGUF model: ${(error as Error).message.split('\n')[0]}` };
  }
  const architecture = lookup(metadata, 'general.architecture');
  if (typeof architecture !== 'string' || architecture === '') return { ok: false, reason: `${file}: general.architecture is missing` };
  const missing = ARCHITECTURE_KEYS.map((key) => `${architecture}.${key}`).filter((key) => lookup(metadata, key) === undefined);
  const tokenizer = lookup(metadata, 'tokenizer.ggml.model');
  if (typeof tokenizer !== 'string' || !TOKENIZER_MODELS.has(tokenizer)) missing.push('tokenizer.ggml.model');
  if (!Array.isArray(lookup(metadata, 'tokenizer.ggml.tokens'))) missing.push('tokenizer.ggml.tokens');
  if (tokenizer === 'gpt2' && !Array.isArray(lookup(metadata, 'tokenizer.ggml.merges'))) missing.push('tokenizer.ggml.merges');
  if (missing.length > 0) return { ok: false, reason: `${file} lacks metadata llama.cpp needs: ${missing.join(', ')}` };
  const name = lookup(metadata, 'general.name');
  return {
    ok: true,
    info: {
      path: file,
      bytes,
      name: typeof name === 'string' && name !== '' ? name : file.split(/[\\/]/).pop()!,
      architecture,
      contextLength: Number(lookup(metadata, `${architecture}.context_length`)),
    },
  };
}
