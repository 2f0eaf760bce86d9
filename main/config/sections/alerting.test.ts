import { describe, expect, it } from 'vitest';
import { validateConfig } from '../load.js';

const alerting = (section: Record<string, unknown>) => validateConfig({ alerting: section }, {}).alerting;

describe('alerting config', () => {
  it('keeps the original’s defaults: a 900 s dedup window, no sinks, unmatched alerts dropped once rules exist', () => {
    expect(alerting({})).toMatchObject({
      dedup_window_seconds: 900,
      dedup_window_overrides: {},
      dashboard_url: null,
      webhooks: [],
      file_path: null,
      file_max_bytes: 10 * 1024 * 1024,
      file_backup_count: 5,
      console_enabled: false,
      console_stream: 'stdout',
      console_format: 'human',
      sinks: [],
      routing_rules: [],
      default_routing: { action: 'drop', notify: [] },
      delivery: { attempts: 3, backoff_base_ms: 1000, queue_size: 1000, timeout_ms: 10_000, drain_timeout_ms: 5000 },
    });
  });

  it('looks up per-rule windows without finding Object’s own members', () => {
    const overrides = alerting({ dedup_window_overrides: { 'SSH brute force': 60 } }).dedup_window_overrides;
    expect(overrides['SSH brute force']).toBe(60);
    // A rule named like an Object member once made the window lookup return a function.
    expect(overrides['constructor']).toBeUndefined();
    expect(overrides['toString']).toBeUndefined();
  });

  it('fills each declarative sink’s options and formatter by its type', () => {
    expect(alerting({ sinks: [{ type: 'syslog', name: 'siem', options: { host: 'siem.corp.example' } }] }).sinks[0]).toEqual({
      type: 'syslog',
      name: 'siem',
      formatter: 'cef',
      min_severity: 0,
      options: { host: 'siem.corp.example', port: 514, protocol: 'udp', facility: 1, app_name: 'seerflow', utf8_bom: true },
    });
  });

  it('names the sink and the key when a sink is misconfigured', () => {
    expect(() => alerting({ sinks: [{ type: 'file', name: 'f', formatter: 'slack', options: { path: '/tmp/a' } }] })).toThrow(
      'alerting.sinks.0: a file sink formats as json, cef, leef, not slack',
    );
    expect(() => alerting({ sinks: [{ type: 'syslog', name: 'siem', options: { port: 514 } }] })).toThrow(
      'alerting.sinks.0: options (syslog sink "siem"): "host" is required',
    );
    expect(() => alerting({ sinks: [{ type: 'console', name: 'c', options: { url: 'https://x.example/' } }] })).toThrow(
      'options (console sink "c"): "url" is not allowed',
    );
    expect(() => alerting({ webhooks: [{ url: 'ftp://hooks.example/x', format: 'slack' }] })).toThrow(/alerting\.webhooks\.0\.url/);
    expect(() => alerting({ webhooks: [{ url: 'https://hooks.example/x', format: 'discord' }] })).toThrow(/alerting\.webhooks\.0\.format/);
  });
});
