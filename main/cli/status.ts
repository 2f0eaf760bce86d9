/** `seerflow status`: health and counters of the running appliance; exit 1 when degraded. */
import type { ApiClient } from './api-client.js';

interface Health {
  status: string;
  components: Record<string, { status: string; detail?: string }>;
}

export async function statusCommand(api: ApiClient, json: boolean): Promise<number> {
  const [health, stats] = await Promise.all([api.get<Health>('/health'), api.get<Record<string, unknown>>('/stats')]);
  if (json) {
    process.stdout.write(`${JSON.stringify({ health, stats })}\n`);
  } else {
    const lines = [`status: ${health.status}`];
    for (const [name, component] of Object.entries(health.components)) {
      lines.push(`  ${name.padEnd(20)} ${component.status}${component.detail ? ` (${component.detail})` : ''}`);
    }
    lines.push(
      `events stored: ${String(stats.events_stored)}  events/s: ${String(stats.events_per_second)}  templates: ${String(stats.templates)}  uptime: ${String(stats.uptime_s)} s`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return health.status === 'ok' ? 0 : 1;
}
