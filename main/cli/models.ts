/**
 * `seerflow models list|pull`: local GGUF models for `llm.backend: llama_cpp`. `list` checks each
 * model in `llm.models_dir` (default `<storage.data_dir>/models`) and the configured
 * `llm.model_path` the way the appliance will before loading (readable, GGUF, the metadata
 * llama.cpp needs); `pull` downloads one with node-llama-cpp's downloader (`hf:user/repo:quant`
 * or an https URL; needs internet) and checks it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createModelDownloader } from 'node-llama-cpp';
import type { SeerflowConfig } from '../config/types.js';
import { checkModelFile } from '../../plugins/llm/model-check.js';
import { InputError } from './batch.js';
import { table } from './output.js';

export function modelsDir(config: SeerflowConfig): string {
  return path.resolve(config.llm.models_dir ?? path.join(config.storage.data_dir, 'models'));
}

export async function modelsListCommand(config: SeerflowConfig, json: boolean): Promise<number> {
  const dir = modelsDir(config);
  const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.gguf')).sort();
  const files = names.map((n) => path.join(dir, n));
  const configured = config.llm.model_path ? path.resolve(config.llm.model_path) : null;
  if (configured && !files.includes(configured)) files.push(configured);
  const rows: Array<Record<string, unknown> & { ok: boolean; configured: boolean }> = [];
  for (const file of files) {
    const check = await checkModelFile(file);
    const about = check.ok
      ? { name: check.info.name, architecture: check.info.architecture, size_mb: Math.round(check.info.bytes / 1e5) / 10, context_length: check.info.contextLength }
      : { problem: check.reason };
    rows.push({ path: file, configured: file === configured, ok: check.ok, ...about });
  }
  if (json) for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  else if (rows.length === 0) process.stdout.write(`no models in ${dir}; get one with \`seerflow models pull <uri>\`\n`);
  else {
    const shown = rows.map((r) => ({ ...r, configured: r.configured ? '*' : '', ok: r.ok ? 'ok' : r.problem }));
    process.stdout.write(`${table(shown, ['configured', 'name', 'architecture', 'size_mb', 'context_length', 'ok', 'path'])}\n`);
  }
  return rows.every((r) => r.ok) ? 0 : 1;
}

export async function modelsPullCommand(config: SeerflowConfig, uri: string, options: { json?: boolean }): Promise<number> {
  const dir = modelsDir(config);
  await fs.mkdir(dir, { recursive: true });
  let file: string;
  try {
    const downloader = await createModelDownloader({ modelUri: uri, dirPath: dir, showCliProgress: !options.json && process.stderr.isTTY });
    file = await downloader.download();
  } catch (error) {
    throw new InputError(`models pull: cannot download ${uri}: ${(error as Error).message.split('\n')[0]}`);
  }
  const check = await checkModelFile(file);
  const result = check.ok ? { path: file, ok: true, name: check.info.name } : { path: file, ok: false, problem: check.reason };
  if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else if (check.ok) process.stdout.write(`downloaded ${check.info.name} to ${file}\nuse it with:\n  llm:\n    backend: llama_cpp\n    model_path: ${file}\n`);
  else process.stdout.write(`downloaded ${file}, but it cannot be used: ${check.reason}\n`);
  return check.ok ? 0 : 1;
}
