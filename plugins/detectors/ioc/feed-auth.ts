/**
 * Feed credentials come from environment variables only: the config names the variables, never
 * the secrets, so a config file can be shared and `/config` shows nothing sensitive. A variable
 * that is not set fails that feed (code `missing_secret`), not the appliance.
 */
import { FeedError } from './feed-error.js';

export interface FeedAuth {
  kind: 'api_key' | 'basic';
  api_key_env?: string | null;
  /** Header carrying the key; `Authorization` sends `Bearer <key>` unless the key has a scheme. */
  api_key_header: string;
  username_env?: string | null;
  password_env?: string | null;
}

/** The request headers for `auth` (none when null), read from `env` now. */
export function authHeaders(auth: FeedAuth | null | undefined, env: NodeJS.ProcessEnv): Record<string, string> {
  if (!auth) return {};
  if (auth.kind === 'basic') {
    const username = secret(env, auth.username_env, 'username_env');
    const password = secret(env, auth.password_env, 'password_env');
    return { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
  }
  const key = secret(env, auth.api_key_env, 'api_key_env');
  const header = auth.api_key_header;
  const value = header.toLowerCase() === 'authorization' && !/^\S+\s/.test(key) ? `Bearer ${key}` : key;
  return { [header]: value };
}

function secret(env: NodeJS.ProcessEnv, name: string | null | undefined, key: string): string {
  if (!name) throw new FeedError('missing_secret', `auth.${key} is not configured`);
  const value = env[name];
  if (value === undefined || value === '') throw new FeedError('missing_secret', `environment variable ${name} (auth.${key}) is not set`);
  return value;
}
