/** `seerflow feedback ALERT_ID tp|fp [--note]`: the analyst's verdict, through the API. */
import type { ApiClient } from './api-client.js';

export async function feedbackCommand(
  api: ApiClient,
  alertId: string,
  verdict: string,
  options: { note?: string; json?: boolean },
): Promise<void> {
  if (verdict !== 'tp' && verdict !== 'fp') throw new Error(`verdict must be tp or fp, not "${verdict}"`);
  await api.post(`/alerts/${encodeURIComponent(alertId)}/feedback`, { feedback: verdict, note: options.note ?? '', origin: 'cli' });
  const result = { alert_id: alertId, feedback: verdict, recorded: true };
  process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `recorded ${verdict} for alert ${alertId}\n`);
}
