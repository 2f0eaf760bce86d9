import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, validateConfig } from './load.js';
import { redactConfig } from './redact.js';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'seerflow-config-'));
}

describe('config', () => {
  it('is zero-config: no file gives the documented defaults', () => {
    const cwd = tempDir();
    const { config, source } = loadConfig(undefined, { SEERFLOW_DATA_DIR: '/data/sf' }, cwd);
    expect(source).toBe('defaults');
    expect(config.dashboard_port).toBe(8080);
    expect(config.health_bind_address).toBe('127.0.0.1');
    expect(config.receivers.syslog_udp_port).toBe(5514);
    expect(config.receivers.otlp_grpc_port).toBe(4317);
    expect(config.receivers.otlp_http_port).toBe(4318);
    expect(config.receivers.webhook_port).toBe(8081);
    expect(config.storage.data_dir).toBe('/data/sf');
    expect(config.storage.sqlite_path).toBe('/data/sf/seerflow.db');
  });

  it('uses the XDG data dir when SEERFLOW_DATA_DIR is unset', () => {
    expect(validateConfig({}, { XDG_DATA_HOME: '/xdg' }).storage.data_dir).toBe('/xdg/seerflow');
    expect(validateConfig({}, { HOME: os.homedir() }).storage.data_dir).toBe(
      path.join(os.homedir(), '.local', 'share', 'seerflow'),
    );
  });

  it('reads ./seerflow.yaml and interpolates ${VAR} and ${VAR:-default}', () => {
    const cwd = tempDir();
    fs.writeFileSync(
      path.join(cwd, 'seerflow.yaml'),
      'dashboard_port: ${PORT}\nstorage:\n  data_dir: ${DIR:-/fallback}\n',
    );
    const { config } = loadConfig(undefined, { PORT: '9090' }, cwd);
    expect(config.dashboard_port).toBe(9090);
    expect(config.storage.data_dir).toBe('/fallback');
  });

  it('names the key of an unknown key or a bad value', () => {
    expect(() => validateConfig({ receivers: { syslog_udp_prot: 1 } })).toThrow(/receivers\.syslog_udp_prot.*not allowed/);
    expect(() => validateConfig({ receivers: { syslog_udp_port: 70000 } })).toThrow(
      /receivers\.syslog_udp_port.*less than or equal to 65535/,
    );
    expect(() => validateConfig({ health_bind_address: 'localhost' })).toThrow(/health_bind_address/);
  });

  it('names a missing environment variable and the key that needs it', () => {
    expect(() => validateConfig({ storage: { postgresql_url: '${PG_URL}' } }, {})).toThrow(
      /storage\.postgresql_url: environment variable PG_URL is not set/,
    );
  });

  it('reports YAML syntax errors with line and column', () => {
    const cwd = tempDir();
    const file = path.join(cwd, 'bad.yaml');
    fs.writeFileSync(file, 'dashboard_port: 8080\nreceivers:\n  syslog_enabled: [true\n');
    expect(() => loadConfig(file, {}, cwd)).toThrow(/line \d+, column \d+/);
  });

  it('rejects a missing explicit config file and a non-mapping root', () => {
    expect(() => loadConfig('/nonexistent/seerflow.yaml', {})).toThrow(ConfigError);
    expect(() => validateConfig(['a'])).toThrow(/root must be a mapping/);
  });

  it('redacts every secret and nothing else', () => {
    const config = validateConfig({
      storage: { postgresql_url: 'postgres://u:p@h/db' },
      receivers: {
        webhooks: [{ path: '/hook', auth_header: 'X-Token', auth_token: 's3cret', hmac_secret: 'k' }],
      },
    });
    const shown = redactConfig(config);
    expect(shown.storage.postgresql_url).toBe('***');
    expect(shown.receivers.webhooks[0]!.auth_token).toBe('***');
    expect(shown.receivers.webhooks[0]!.hmac_secret).toBe('***');
    expect(shown.receivers.webhooks[0]!.auth_header).toBe('X-Token');
    expect(config.storage.postgresql_url).toBe('postgres://u:p@h/db');
  });
});

describe('config regexes', () => {
  it('rejects an invalid logsource or mask regex, naming the key', () => {
    expect(() => validateConfig({ parsing: { logsource_rules: [{ when: { app: '(' }, logsource: { product: 'x' } }] } })).toThrow(
      /parsing\.logsource_rules\.0\.when\.app.*not a valid regular expression/,
    );
    expect(() => validateConfig({ parsing: { template: { masks: [{ pattern: '[', replacement: '<X>' }] } } })).toThrow(
      /parsing\.template\.masks\.0\.pattern/,
    );
  });
});
