import type Joi from 'joi';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../main/config/schema.js';
import { applianceFixture } from '../support/appliance.js';

const start = applianceFixture();

interface Description {
  keys?: Record<string, Description>;
  items?: Description[];
  metas?: Array<{ secret?: boolean }>;
}

const isSecret = (description: Description) => description.metas?.some((meta) => meta.secret) ?? false;

/** Paths of secret keys reachable through object keys and array items (`[]`): what redaction walks. */
function secretPaths(description: Description, at: string[] = []): string[][] {
  if (isSecret(description)) return [at];
  const out: string[][] = [];
  for (const [key, child] of Object.entries(description.keys ?? {})) out.push(...secretPaths(child, [...at, key]));
  for (const item of description.items ?? []) out.push(...secretPaths(item, [...at, '[]']));
  return out;
}

/** Every secret mark anywhere in the description, however nested. */
function countSecretMarks(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((sum: number, item) => sum + countSecretMarks(item), 0);
  if (!node || typeof node !== 'object') return 0;
  const own = isSecret(node as Description) ? 1 : 0;
  return own + Object.values(node).reduce((sum: number, value) => sum + countSecretMarks(value), 0);
}

/** Set `value` at a path, creating a first array element for `[]`. */
function setAt(target: Record<string, unknown>, path: string[], value: string): void {
  let node: Record<string, unknown> = target;
  for (const [i, segment] of path.slice(0, -1).entries()) {
    const next = path[i + 1] === '[]' ? [] : {};
    if (segment === '[]') {
      const list = node as unknown as Array<Record<string, unknown>>;
      list[0] ??= {};
      node = list[0];
    } else {
      node[segment] ??= next;
      node = node[segment] as Record<string, unknown>;
    }
  }
  const last = path.at(-1)!;
  if (last === '[]') (node as unknown as unknown[])[0] = value;
  else node[last] = value;
}

function getAt(target: unknown, path: string[]): unknown {
  return path.reduce<unknown>((node, segment) => (node as Record<string, unknown>)?.[segment === '[]' ? 0 : segment], target);
}

describe('GET /config', () => {
  it('returns the running config with set secrets masked and unset ones left null', async () => {
    const appliance = await start({
      storage: { postgresql_url: 'postgres://seerflow:hunter2@db.internal/seerflow' },
      receivers: { webhooks: [{ path: '/hooks/ci', auth_header: 'X-Token', auth_token: 'tok-hunter2', hmac_secret: 'hmac-hunter2' }] },
    });
    const { status, body } = await appliance.get<Record<string, unknown>>('/api/v1/config');
    expect(status).toBe(200);
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(getAt(body, ['storage', 'postgresql_url'])).toBe('***');
    expect(getAt(body, ['receivers', 'webhooks', '[]'])).toMatchObject({
      path: '/hooks/ci',
      auth_header: 'X-Token',
      auth_token: '***',
      hmac_secret: '***',
    });
    expect(body.api_rate_limit_redis_url).toBeNull();
    expect(body.dashboard_port).toBe(0);
    expect(body.api_list_rate_limit).toBe('60/minute');
  });

  it('masks every key the schema marks secret, so a new secret cannot leak', async () => {
    const description = configSchema.describe() as Joi.Description & Description;
    const paths = secretPaths(description);
    // Each secret mark must sit where redaction can find it (not under a pattern or alternative).
    expect(paths.length).toBe(countSecretMarks(description));
    expect(paths.map((p) => p.join('.'))).toEqual(
      expect.arrayContaining(['api_rate_limit_redis_url', 'storage.postgresql_url', 'receivers.webhooks.[].auth_token']),
    );

    const appliance = await start();
    const running = appliance.server.seerflow.config as unknown as Record<string, unknown>;
    for (const path of paths) setAt(running, path, `sentinel-${path.join('.')}`);
    const { body } = await appliance.get<Record<string, unknown>>('/api/v1/config');
    expect(JSON.stringify(body)).not.toContain('sentinel-');
    for (const path of paths) expect(getAt(body, path), path.join('.')).toBe('***');
  });
});
