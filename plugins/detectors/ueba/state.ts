/**
 * The saved form of UEBA: every baseline (least recently learned first, so a restore rebuilds the
 * same recency order) and each entity type's DSPOT, as versioned JSON under one model-state key.
 * Loading validates the baselines and throws `UebaStateError` on anything unexpected (each DSPOT
 * is checked as it is rebuilt, by the detector); the plugin then logs it and starts empty.
 */
import Joi from 'joi';
import { ENTITY_NAMESPACES } from '../../../main/core/entity/identity.js';
import type { EntityType } from '../../../main/core/event.js';
import type { DspotState } from '../ml/bidspot.js';
import { EntityBaseline, type BaselineSettings } from './baseline.js';
import { HOURS_PER_DAY } from './hours.js';
import { Volume, type VolumeSeries } from './volume.js';

export const UEBA_STATE_KEY = 'ueba:baselines';
const VERSION = 1;
const ENTITY_TYPES = Object.keys(ENTITY_NAMESPACES);

interface BaselineJson {
  id: string;
  type: EntityType;
  first_ns: string;
  last_ns: string;
  events: number;
  warm: boolean;
  hours: number[];
  ips: Array<[string, string]>;
  templates: Array<[number, number]>;
  minute: VolumeSeries;
  hour: VolumeSeries;
  last_alert_ns: string | null;
}

export interface UebaStateJson {
  version: number;
  baselines: BaselineJson[];
  cutoffs: Partial<Record<EntityType, DspotState>>;
}

export interface UebaState {
  baselines: EntityBaseline[];
  cutoffs: Partial<Record<EntityType, DspotState>>;
}

export class UebaStateError extends Error {
  readonly code = 'ueba_state_invalid';
}

const ns = Joi.string().pattern(/^-?\d{1,20}$/);
const count = Joi.number().integer().min(0);
const series = Joi.object({ ema: Joi.number().min(0).required(), bucket: Joi.number().integer().min(-1).required(), count: count.required() });
const schema = Joi.object({
  version: Joi.number().valid(VERSION).required(),
  baselines: Joi.array()
    .items(
      Joi.object({
        id: Joi.string().required(),
        type: Joi.string().valid(...ENTITY_TYPES).required(),
        first_ns: ns.required(),
        last_ns: ns.required(),
        events: count.required(),
        warm: Joi.boolean().required(),
        hours: Joi.array().items(Joi.number().min(0)).length(HOURS_PER_DAY).required(),
        ips: Joi.array().items(Joi.array().ordered(Joi.string().required(), ns.required())).required(),
        templates: Joi.array().items(Joi.array().ordered(Joi.number().integer().required(), Joi.number().min(0).required())).required(),
        minute: series.required(),
        hour: series.required(),
        last_alert_ns: ns.allow(null).required(),
      }),
    )
    .required(),
  // Each type's DSPOT state is the ML module's format: it is checked when rebuilt (`cutoff.ts`).
  cutoffs: Joi.object().pattern(Joi.string().valid(...ENTITY_TYPES), Joi.object().unknown()).required(),
});

function baselineToJson(baseline: EntityBaseline): BaselineJson {
  return {
    id: baseline.entityId,
    type: baseline.entityType,
    first_ns: baseline.firstSeenNs.toString(),
    last_ns: baseline.lastSeenNs.toString(),
    events: baseline.eventCount,
    warm: baseline.warm,
    hours: [...baseline.hours],
    ips: baseline.addresses.entries().map(([ip, seen]) => [ip, seen.toString()]),
    templates: baseline.templates.entries(),
    minute: { ...baseline.volume.perMinute },
    hour: { ...baseline.volume.perHour },
    last_alert_ns: baseline.lastAlertNs?.toString() ?? null,
  };
}

function baselineFromJson(json: BaselineJson, settings: BaselineSettings): EntityBaseline {
  const volume = new Volume(settings.alpha, { ...json.minute }, { ...json.hour });
  const baseline = new EntityBaseline(json.id, json.type, settings, BigInt(json.first_ns), volume);
  baseline.lastSeenNs = BigInt(json.last_ns);
  baseline.eventCount = json.events;
  baseline.warm = json.warm;
  baseline.hours.splice(0, HOURS_PER_DAY, ...json.hours);
  for (const [ip, seen] of json.ips) baseline.addresses.observe(ip, BigInt(seen));
  for (const [templateId, weight] of json.templates) baseline.templates.restore(templateId, weight);
  baseline.lastAlertNs = json.last_alert_ns === null ? null : BigInt(json.last_alert_ns);
  return baseline;
}

export function encodeState(baselines: Iterable<EntityBaseline>, cutoffs: Partial<Record<EntityType, DspotState>>): string {
  const json: UebaStateJson = { version: VERSION, baselines: [...baselines].map(baselineToJson), cutoffs };
  return JSON.stringify(json);
}

/** Parse and validate saved state; baselines are rebuilt with the current settings (caps, α). */
export function decodeState(text: string, settings: BaselineSettings): UebaState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UebaStateError(`saved UEBA state is not JSON: ${(error as Error).message}`);
  }
  const { error, value } = schema.validate(parsed, { convert: false });
  if (error) throw new UebaStateError(`saved UEBA state is invalid: ${error.message}`);
  const json = value as UebaStateJson;
  return { baselines: json.baselines.map((b) => baselineFromJson(b, settings)), cutoffs: json.cutoffs };
}
