/** The backend `llm.backend` names, or null when it is `disabled`. */
import type { Logger } from 'pino';
import type { LlmConfig } from '../../main/config/sections/llm.js';
import type { LlmBackend } from './backend.js';
import { LlamaCppBackend } from './llama-cpp-backend.js';
import { OpenAiBackend } from './openai-backend.js';

export function createBackend(config: LlmConfig, env: NodeJS.ProcessEnv, logger: Logger): LlmBackend | null {
  switch (config.backend) {
    case 'disabled':
      return null;
    case 'openai':
      return new OpenAiBackend(config, env);
    case 'llama_cpp':
      return new LlamaCppBackend({
        config,
        onLoaded: (info) => logger.info(info, 'LLM model loaded'),
        onFailed: (reason) => logger.warn({ reason }, 'LLM model not loaded; explain, hunt and rule suggestions answer 503'),
      });
  }
}
