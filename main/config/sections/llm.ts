/** The `llm` section: local model or OpenAI-compatible backend, explain, hunt, rule suggestions (reference §12). */
import Joi from 'joi';

export const llmSection = Joi.object({
  backend: Joi.string().valid('disabled').default('disabled'),
}).default();

export interface LlmConfig {
  backend: 'disabled';
}
