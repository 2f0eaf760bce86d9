/**
 * Template → ATT&CK for ML alerts (reference §5.4): an ordered list of case-insensitive regular
 * expressions over the event's template; the first match gives the tactics (canonical names,
 * through `main/core/attack.ts`) and techniques. `detection.attack_mappings` replaces our bundled
 * list (`resources/attack-mappings.yaml`) when it is not empty.
 */
import fs from 'node:fs';
import path from 'node:path';
import Joi from 'joi';
import YAML from 'yaml';
import { attackMappingSchema, type AttackMappingConfig } from '../../../main/config/sections/ml.js';
import { normalizeTactic, normalizeTechnique } from '../../../main/core/attack.js';
import { resourcesDir } from '../../../main/resources.js';

export interface AttackTags {
  tactics: string[];
  techniques: string[];
}

interface CompiledMapping extends AttackTags {
  pattern: RegExp;
}

const NONE: AttackTags = { tactics: [], techniques: [] };

export class AttackMapper {
  readonly #mappings: CompiledMapping[];

  constructor(mappings: readonly AttackMappingConfig[]) {
    this.#mappings = mappings.map((m) => ({
      pattern: new RegExp(m.pattern, 'i'),
      tactics: [...new Set(m.tactics.map((t) => normalizeTactic(t).name))],
      techniques: [...new Set(m.techniques.map((t) => normalizeTechnique(t).id))],
    }));
  }

  get size(): number {
    return this.#mappings.length;
  }

  /** The first mapping matching `template`; empty lists when none does. */
  lookup(template: string): AttackTags {
    for (const mapping of this.#mappings) if (mapping.pattern.test(template)) return mapping;
    return NONE;
  }
}

/** Our bundled mappings, validated like the config key. */
export function bundledAttackMappings(file = path.join(resourcesDir(), 'attack-mappings.yaml')): AttackMappingConfig[] {
  const parsed: unknown = YAML.parse(fs.readFileSync(file, 'utf8'));
  return Joi.attempt(parsed, Joi.array().items(attackMappingSchema).required(), `Invalid ATT&CK mappings in ${file}:`) as AttackMappingConfig[];
}

/** The configured mappings, or the bundled ones when none are configured. */
export function attackMapperFor(configured: readonly AttackMappingConfig[]): AttackMapper {
  return new AttackMapper(configured.length > 0 ? configured : bundledAttackMappings());
}
