/**
 * Saving and restoring the ensemble as versioned JSON rows in `model_state`: one row per source
 * (`ml:source:<key>`, its models and pooled volume models) and a manifest (`ml:manifest`: the
 * sources and both pools in recency order) written last. Recency is kept so that evictions after
 * a restore are the ones that would have happened without it: same input, same results.
 *
 * A row that does not parse or does not fit the current configuration (another tree count or
 * seasonal period) is reported through `warn` and skipped: that source starts afresh.
 */
import type { StateRow } from '../../../main/storage/writer.js';
import { decodeCounts, encodeCounts } from './array-codec.js';
import { BiDspot, type DspotState } from './bidspot.js';
import type { BlenderState } from './blend.js';
import type { BoundedPool, PoolEntry } from './bounded-pool.js';
import { Cusum, type CusumState } from './cusum.js';
import type { Ensemble, SourceModels } from './ensemble.js';
import { HoltWinters, type HoltWintersState } from './holt-winters.js';
import { MarkovChains, type MarkovState } from './markov.js';

export const STATE_VERSION = 1;
export const MANIFEST_KEY = 'ml:manifest';
export const sourceStateKey = (source: string) => `ml:source:${source}`;

interface Manifest {
  version: number;
  sources: string[];
  templatePool: Array<[string, number]>;
  entityPool: Array<[string, string]>;
}

interface SourceState {
  version: number;
  key: string;
  events: number;
  anomalies: number;
  hst: { reference: string; latest: string; count: number; firstWindow: boolean };
  hw: HoltWintersState;
  cusum: CusumState;
  markov: MarkovState;
  blender: BlenderState;
  dspot: DspotState;
  templates: Array<[number, number, HoltWintersState]>;
  entities: Array<[string, number, HoltWintersState]>;
}

export function saveEnsemble(ensemble: Ensemble): StateRow[] {
  const rows: StateRow[] = [];
  for (const source of ensemble.sources.values()) rows.push({ key: sourceStateKey(source.key), data: JSON.stringify(sourceState(source)) });
  const owners = new Map<unknown, string>();
  for (const source of ensemble.sources.values()) owners.set(source.templates, source.key).set(source.entities, source.key);
  const manifest: Manifest = {
    version: STATE_VERSION,
    sources: [...ensemble.sources.keys()],
    templatePool: [...ensemble.templatePool.entries()].map((e) => [owners.get(e.owner)!, e.key]),
    entityPool: [...ensemble.entityPool.entries()].map((e) => [owners.get(e.owner)!, e.key]),
  };
  rows.push({ key: MANIFEST_KEY, data: JSON.stringify(manifest) });
  return rows;
}

function sourceState(source: SourceModels): SourceState {
  return {
    version: STATE_VERSION,
    key: source.key,
    events: source.events,
    anomalies: source.anomalies,
    hst: {
      reference: encodeCounts(source.hst.reference),
      latest: encodeCounts(source.hst.latest),
      count: source.hst.count,
      firstWindow: source.hst.firstWindow,
    },
    hw: source.hw.toState(),
    cusum: source.cusum.toState(),
    markov: source.markov.toState(),
    blender: source.blender.toState(),
    dspot: source.dspot.toState(),
    templates: [...source.templates.values()].map((e) => [e.key, e.events, e.value.toState()]),
    entities: [...source.entities.values()].map((e) => [e.key, e.events, e.value.toState()]),
  };
}

/** Restores what `saveEnsemble` wrote into a fresh ensemble; returns the number of sources restored. */
export async function restoreEnsemble(
  ensemble: Ensemble,
  load: (key: string) => Promise<string | undefined>,
  warn: (message: string, detail: Record<string, unknown>) => void,
): Promise<number> {
  const text = await load(MANIFEST_KEY);
  if (text === undefined) return 0;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
    if (manifest.version !== STATE_VERSION || !Array.isArray(manifest.sources)) throw new Error(`unsupported manifest version ${manifest.version}`);
  } catch (error) {
    warn('saved ML state unreadable; starting with fresh models', { key: MANIFEST_KEY, err: (error as Error).message });
    return 0;
  }
  const pooled = new Map<string, { templates: Map<number, [number, HoltWintersState]>; entities: Map<string, [number, HoltWintersState]> }>();
  for (const key of manifest.sources) {
    try {
      const row = await load(sourceStateKey(key));
      if (row === undefined) throw new Error('row missing');
      const state = JSON.parse(row) as SourceState;
      ensemble.adopt(sourceFromState(ensemble, state));
      pooled.set(key, {
        templates: new Map(state.templates.map(([id, events, hw]) => [id, [events, hw]])),
        entities: new Map(state.entities.map(([id, events, hw]) => [id, [events, hw]])),
      });
    } catch (error) {
      warn('saved ML state of a source unreadable; it starts afresh', { source: key, err: (error as Error).message });
    }
  }
  const refill = <K>(order: Array<[string, K]>, pool: BoundedPool<K, HoltWinters>, pick: (source: SourceModels) => Map<K, PoolEntry<K, HoltWinters>>, saved: (key: string) => Map<K, [number, HoltWintersState]> | undefined) => {
    for (const [key, id] of order) {
      const source = ensemble.sources.get(key);
      const entry = saved(key)?.get(id);
      if (!source || !entry) continue;
      try {
        pool.acquire(pick(source), id, () => HoltWinters.fromState(entry[1], ensemble.options.hw)).events = entry[0];
      } catch (error) {
        warn('a saved volume model is unreadable; it starts afresh', { source: key, id, err: (error as Error).message });
      }
    }
  };
  refill(manifest.templatePool ?? [], ensemble.templatePool, (s) => s.templates, (key) => pooled.get(key)?.templates);
  refill(manifest.entityPool ?? [], ensemble.entityPool, (s) => s.entities, (key) => pooled.get(key)?.entities);
  return ensemble.sources.size;
}

function sourceFromState(ensemble: Ensemble, state: SourceState): SourceModels {
  if (state.version !== STATE_VERSION) throw new Error(`unsupported version ${state.version}`);
  const o = ensemble.options;
  const models = ensemble.newSource(state.key);
  const reference = decodeCounts(state.hst.reference);
  const latest = decodeCounts(state.hst.latest);
  if (reference.length !== models.hst.reference.length || latest.length !== models.hst.latest.length) {
    throw new Error('saved trees do not match hst_n_trees');
  }
  models.hst.reference.set(reference);
  models.hst.latest.set(latest);
  models.hst.count = state.hst.count;
  models.hst.firstWindow = state.hst.firstWindow;
  models.hw = HoltWinters.fromState(state.hw, o.hw);
  models.cusum = Cusum.fromState(state.cusum, o.cusum);
  models.markov = MarkovChains.fromState(state.markov, o.markov);
  models.blender.restore(state.blender);
  models.dspot = BiDspot.fromState(state.dspot, o.dspot);
  models.events = state.events;
  models.anomalies = state.anomalies;
  return models;
}
