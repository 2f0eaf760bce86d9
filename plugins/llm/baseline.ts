/**
 * The entity's UEBA baseline as prompt text, read through `server.plugins['detector-ueba']` when
 * the ueba plugin is registered and the entity's baseline is warm; absent otherwise (a baseline
 * is context, never a reason for an explanation to fail). The wire shape is the baseline route's
 * (`baselineToJson`), summarised: usual hours, known source addresses, volume, templates.
 */
import type { PluginProperties, Server } from '@hapi/hapi';
import { baselineToJson } from '../api/entities/baseline.js';
import type { BaselineSource } from './explanations.js';

const TOP = 5;

function summarise(json: ReturnType<typeof baselineToJson>): string {
  const hours = json.hours
    .map((weight, hour) => ({ hour, weight }))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 3)
    .map((h) => `${h.hour}:00`);
  const addresses = json.source_ips.slice(0, TOP).map(([ip]) => ip);
  const templates = json.templates.slice(0, TOP).map(([id]) => id);
  return (
    `${json.event_count} events since ${new Date(Number(BigInt(json.first_seen_ns) / 1_000_000n)).toISOString()}; ` +
    `busiest UTC hours ${hours.join(', ')}; known source IPs ${addresses.join(', ') || 'none'}; ` +
    `volume ~${json.volume_ema_min.toFixed(2)}/min, ~${json.volume_ema_hour.toFixed(1)}/h; usual templates ${templates.join(', ') || 'none'}`
  );
}

export function uebaBaselineSource(server: Server): BaselineSource {
  return async (entityId) => {
    const ueba = (server.plugins as Partial<PluginProperties>)['detector-ueba'];
    const lookup = ueba?.baselines.lookup(entityId);
    if (lookup?.status !== 'ready') return undefined;
    return summarise(baselineToJson(lookup.baseline));
  };
}
