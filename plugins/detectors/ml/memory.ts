/**
 * Memory held by the ensemble's models, by kind, in bytes: computed from the actual array sizes
 * where they are fixed (tree masses, seasons), estimated per entry elsewhere (Markov entities and
 * transitions, DSPOT tails as filled). The original quoted fixed per-model guesses (HST 50 KB,
 * HW 12 KB, CUSUM 200 B, Markov 10 KB per entity, DSPOT 8 KB).
 */
import type { Ensemble } from './ensemble.js';

const HW_FIXED = 100 * 8 + 200;
const CUSUM = 200;
const MARKOV_ENTITY = 250;
const MARKOV_TRANSITION = 60;
const DSPOT_FIXED = 400;

export interface MemoryByType {
  hst: number;
  hw_source: number;
  hw_template: number;
  hw_entity: number;
  cusum: number;
  markov: number;
  dspot: number;
}

export function memoryEstimate(ensemble: Ensemble): MemoryByType {
  const hw = ensemble.options.hw.period * 8 + HW_FIXED;
  let hst = 0;
  let markov = 0;
  let dspot = 0;
  for (const source of ensemble.sources.values()) {
    hst += source.hst.reference.byteLength + source.hst.latest.byteLength;
    markov += source.markov.entityCount * MARKOV_ENTITY + source.markov.transitionCount * MARKOV_TRANSITION;
    dspot += DSPOT_FIXED + source.dspot.storedValues * 8;
  }
  const sources = ensemble.sources.size;
  return {
    hst,
    hw_source: sources * hw,
    hw_template: ensemble.templatePool.size * hw,
    hw_entity: ensemble.entityPool.size * hw,
    cusum: sources * CUSUM,
    markov,
    dspot,
  };
}
