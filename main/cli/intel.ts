/**
 * `seerflow intel list` and `seerflow intel refresh [FEED]`: threat-intel feeds of the running
 * appliance, through its API (`/intel/feeds`, `/intel/refresh`). `refresh` waits for the polls
 * and exits 1 when a feed ended in error.
 */
import { ApiError, type ApiClient } from './api-client.js';
import { table } from './output.js';

interface FeedStatus {
  id: string;
  state: string;
  last_error: string | null;
  [key: string]: unknown;
}

const COLUMNS = ['id', 'format', 'state', 'indicators', 'last_success_at', 'next_poll_at', 'matches_total', 'last_error'];

export async function intelListCommand(api: ApiClient, json: boolean): Promise<number> {
  const { feeds } = await withIntel(() => api.get<{ feeds: FeedStatus[] }>('/intel/feeds'));
  print(feeds, json);
  return 0;
}

export async function intelRefreshCommand(api: ApiClient, feedId: string | undefined, json: boolean): Promise<number> {
  const path = feedId === undefined ? '/intel/refresh' : `/intel/feeds/${encodeURIComponent(feedId)}/refresh`;
  const answer = await withIntel(() => api.post<{ feeds: FeedStatus[] }>(path, {}), feedId);
  const feeds = answer?.feeds ?? [];
  print(feeds, json);
  return feeds.some((feed) => feed.state === 'error' || feed.state === 'auth_circuit_open') ? 1 : 0;
}

function print(feeds: FeedStatus[], json: boolean): void {
  if (json) {
    for (const feed of feeds) process.stdout.write(`${JSON.stringify(feed)}\n`);
    return;
  }
  process.stdout.write(feeds.length === 0 ? 'no threat-intel feeds configured\n' : `${table(feeds, COLUMNS)}\n`);
}

/** A 404 means the plugin is not registered, or the feed is unknown: say which. */
async function withIntel<T>(call: () => Promise<T>, feedId?: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      const message = /no threat-intel feed named/.test(error.message)
        ? `no threat-intel feed named ${feedId ?? ''} on the appliance`
        : 'threat intel is not enabled on the appliance (set threat_intel.enabled and add feeds)';
      throw new ApiError(message, 404);
    }
    throw error;
  }
}
