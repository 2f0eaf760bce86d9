/**
 * The node-llama-cpp binding, shared by the process: `getLlama` loads a native library once, so
 * every llama_cpp backend of the process (normally one; tests start several appliances) shares
 * it, and the last one to release it disposes it, so nothing keeps the process alive.
 *
 * No GPU probing and no source build (`build: 'never'`): a prebuilt CPU binary or nothing. The
 * binding's start-up test runs in a subprocess that can time out on a loaded machine ("Binding
 * binary test failed"); a failed load is forgotten, so the next acquire tries again.
 */
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';

let shared: Promise<Llama> | undefined;
let holders = 0;

export async function acquireLlama(): Promise<Llama> {
  shared ??= getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error, progressLogs: false });
  const pending = shared;
  try {
    const llama = await pending;
    holders++;
    return llama;
  } catch (error) {
    if (shared === pending) shared = undefined;
    throw error;
  }
}

export async function releaseLlama(): Promise<void> {
  if (--holders > 0 || !shared) return;
  const llama = await shared;
  shared = undefined;
  await llama.dispose();
}
