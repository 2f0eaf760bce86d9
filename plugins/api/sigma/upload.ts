/**
 * `POST /sigma/rules`: a rule upload and its HTTP answers, mapped in one place.
 *
 * - dry run: 200 with the validation result, valid or not (`stage`, `message`, 1-based `line`
 *   and `column`). It needs no upload folder: the text is only validated.
 * - upload: 201 with the new rule's detail once it is stored and loaded; 422 when it is invalid
 *   (`detail` = `[stage] (line, col) message`) or when `detection.sigma_custom_upload_dir` is not
 *   set; 507 when the upload folder is full (rule count, bytes, or the disk).
 * - either: 409 `{ collision: true, existing_rule_id, existing_source }` when a loaded rule
 *   already has the id, so a dry run says whether the upload would succeed.
 */
import Boom from '@hapi/boom';
import type { ResponseObject, ResponseToolkit } from '@hapi/hapi';
import type { SigmaService } from '../../detectors/sigma/service.js';
import { validateRule, type UploadOutcome, type ValidationResult } from '../../detectors/sigma/uploads.js';

export async function answerUpload(
  service: SigmaService,
  yaml: string,
  dryRun: boolean,
  h: ResponseToolkit,
  detail: (ruleId: string) => Promise<object | undefined>,
): Promise<ResponseObject | ValidationResult> {
  const outcome = (await service.upload(yaml, dryRun)) ?? (dryRun ? validateOnly(service, yaml) : undefined);
  if (!outcome) throw withDetail(Boom.badData('sigma_custom_upload_dir not configured'));
  switch (outcome.kind) {
    case 'valid':
      return outcome.result;
    case 'invalid':
      if (dryRun) return outcome.result;
      throw invalidRule(outcome.result);
    case 'collision': {
      const existing = service.get(outcome.existingRuleId);
      const boom = Boom.conflict(`a rule with id ${outcome.existingRuleId} is already loaded`);
      Object.assign(boom.output.payload, {
        detail: boom.message,
        collision: true,
        existing_rule_id: outcome.existingRuleId,
        existing_source: existing?.origin ?? null,
      });
      throw boom;
    }
    case 'full':
      throw withDetail(new Boom.Boom(outcome.message, { statusCode: 507 }));
    case 'stored': {
      const body = await detail(outcome.ruleId);
      // Stored but not loaded: the reload that follows every upload dropped it.
      if (!body) throw Boom.internal(`uploaded rule ${outcome.ruleId} was stored but did not load`);
      return h.response(body).code(201);
    }
  }
}

/** A dry run where uploads are not configured: the same checks, nothing stored. */
function validateOnly(service: SigmaService, yaml: string): UploadOutcome {
  const result = validateRule(yaml);
  if (!result.valid) return { kind: 'invalid', result };
  if (service.get(result.rule_id!)) return { kind: 'collision', existingRuleId: result.rule_id! };
  return { kind: 'valid', result };
}

/** 422 `[stage] (line, col) message`, with the parts as fields too. */
function invalidRule(result: ValidationResult): Boom.Boom {
  const where = result.line === undefined ? '' : ` (${result.line}, ${result.column ?? 1})`;
  const boom = Boom.badData(`[${result.stage ?? 'schema'}]${where} ${result.message ?? 'invalid rule'}`);
  Object.assign(boom.output.payload, { detail: boom.message, stage: result.stage, line: result.line, column: result.column });
  return boom;
}

/** The contract's `detail` beside hapi's error fields. */
function withDetail(boom: Boom.Boom): Boom.Boom {
  Object.assign(boom.output.payload, { detail: boom.message });
  return boom;
}
