/**
 * Loads the configuration: `--config PATH`, else `./seerflow.yaml`, else defaults (zero-config).
 * `${VAR}` and `${VAR:-default}` are interpolated in every string before validation; the result
 * is validated once against `configSchema` and returned typed. Any problem is a `ConfigError`
 * whose message names the key.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { configSchema, defaultDataDir } from './schema.js';
import type { SeerflowConfig } from './types.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

function interpolate(value: unknown, env: NodeJS.ProcessEnv, keyPath: string): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_match, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      throw new ConfigError(`${keyPath || '(root)'}: environment variable ${name} is not set`);
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolate(item, env, `${keyPath}[${i}]`));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = interpolate(item, env, keyPath ? `${keyPath}.${key}` : key);
    }
    return out;
  }
  return value;
}

/** Validate a raw config object (already parsed from YAML) and fill defaults. */
export function validateConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): SeerflowConfig {
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new ConfigError('the configuration root must be a mapping of keys to values');
  }
  const { value, error } = configSchema.validate(interpolate(raw ?? {}, env, ''), {
    abortEarly: false,
    convert: true,
  });
  if (error) {
    const lines = error.details.map((d) => `  ${d.path.join('.') || '(root)'}: ${d.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = value as SeerflowConfig;
  if (!config.storage.data_dir) config.storage.data_dir = defaultDataDir(env);
  if (!config.storage.sqlite_path) config.storage.sqlite_path = path.join(config.storage.data_dir, 'seerflow.db');
  if (!config.storage.instance_id) config.storage.instance_id = os.hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64) || 'seerflow';
  return config;
}

/** Parse YAML text; syntax errors name the line and column. */
export function parseConfigYaml(text: string, source: string): unknown {
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? ` (line ${first.linePos[0].line}, column ${first.linePos[0].col})` : '';
    throw new ConfigError(`${source}${where}: ${first.message.split('\n')[0]}`);
  }
  return doc.toJS({ maxAliasCount: 100 });
}

/** Resolve which file to read, read it, and validate. `explicitPath` must exist if given. */
export function loadConfig(explicitPath?: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): {
  config: SeerflowConfig;
  source: string;
} {
  let file = explicitPath ? path.resolve(cwd, explicitPath) : path.join(cwd, 'seerflow.yaml');
  if (!fs.existsSync(file)) {
    if (explicitPath) throw new ConfigError(`config file not found: ${file}`);
    return { config: validateConfig({}, env), source: 'defaults' };
  }
  file = fs.realpathSync(file);
  return { config: validateConfig(parseConfigYaml(fs.readFileSync(file, 'utf8'), file), env), source: file };
}
