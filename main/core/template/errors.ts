/**
 * Errors of the template miner. Both are developer or operator mistakes found at setup (bad
 * options, a state snapshot that cannot be restored), never per-message failures: learning and
 * matching do not throw on any input.
 */

/** An option (or one mask rule) is out of range; `option` names it, as `masks[2].pattern`. */
export class TemplateOptionError extends Error {
  override readonly name = 'TemplateOptionError';
  readonly code = 'TEMPLATE_INVALID_OPTION';

  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`Invalid template miner option ${option}: ${problem}`);
  }
}

/** A saved state cannot be restored; `path` points into the snapshot, as `clusters[3].template`. */
export class TemplateStateError extends Error {
  override readonly name = 'TemplateStateError';
  readonly code: 'TEMPLATE_STATE_VERSION' | 'TEMPLATE_STATE_INVALID';

  constructor(
    code: 'TEMPLATE_STATE_VERSION' | 'TEMPLATE_STATE_INVALID',
    readonly path: string,
    problem: string,
  ) {
    super(`Cannot restore template miner state (${path}): ${problem}`);
    this.code = code;
  }
}
