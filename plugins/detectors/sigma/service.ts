/**
 * What the `/sigma` API area and the CLI need from the running detector: rule summaries with
 * their state and counts, one rule with its YAML, enabling and disabling (persisted), uploads.
 */
import type { SigmaRulesRepository, RuleState } from '../../../main/storage/sigma-rules-repository.js';
import type { SigmaDetector } from './detector.js';
import type { CompiledRule } from './engine.js';
import { attackFromTags } from './sigma-alerts.js';
import { uploadRule, type UploadLimits, type UploadOutcome } from './uploads.js';

export interface RuleSummary {
  rule: CompiledRule;
  origin: string;
  enabled: boolean;
  tactics: string[];
  techniques: string[];
  matchCount: number;
  lastFiredNs: bigint | null;
}

export interface SigmaServiceDeps {
  detector: SigmaDetector;
  rules: SigmaRulesRepository;
  /** Persisted state, kept current by the plugin as it flushes counts. */
  state: Map<string, RuleState>;
  clock: () => bigint;
  uploads: UploadLimits | null;
  reload: () => Promise<void>;
}

export class SigmaService {
  readonly #deps: SigmaServiceDeps;

  constructor(deps: SigmaServiceDeps) {
    this.#deps = deps;
  }

  list(): RuleSummary[] {
    return this.#deps.detector.pack.engine.rules().map((rule) => this.#summary(rule));
  }

  get(ruleId: string): RuleSummary | undefined {
    const rule = this.#deps.detector.pack.engine.get(ruleId);
    return rule ? this.#summary(rule) : undefined;
  }

  /** False when no rule has that id. */
  async setEnabled(ruleId: string, enabled: boolean): Promise<boolean> {
    const { detector, rules, state, clock } = this.#deps;
    if (!detector.pack.engine.setEnabled(ruleId, enabled)) return false;
    await rules.setEnabled(ruleId, enabled, clock());
    const current = state.get(ruleId) ?? { ruleId, enabled, matchCount: 0, lastFiredNs: null };
    state.set(ruleId, { ...current, enabled });
    return true;
  }

  /** `null` when uploads are not configured (`detection.sigma_custom_upload_dir`). */
  async upload(yaml: string, dryRun: boolean): Promise<UploadOutcome | null> {
    const limits = this.#deps.uploads;
    if (!limits) return null;
    const outcome = await uploadRule(yaml, this.#deps.detector.pack.engine, limits, dryRun);
    if (outcome.kind === 'stored') await this.#deps.reload();
    return outcome;
  }

  #summary(rule: CompiledRule): RuleSummary {
    const { detector, state } = this.#deps;
    const saved = state.get(rule.id);
    // Saved counts plus those since the last save, so a fire shows at once.
    const pending = detector.pending(rule.id);
    const lastSaved = saved?.lastFiredNs ?? null;
    return {
      rule,
      origin: detector.pack.origins.get(rule.id) ?? 'dir',
      enabled: detector.pack.engine.isEnabled(rule.id),
      ...attackFromTags(rule.tags),
      matchCount: (saved?.matchCount ?? 0) + (pending?.matches ?? 0),
      lastFiredNs: pending && (lastSaved === null || pending.lastFiredNs > lastSaved) ? pending.lastFiredNs : lastSaved,
    };
  }
}
