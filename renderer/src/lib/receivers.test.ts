import { describe, expect, it } from 'vitest';
import type { Stats } from '../api/types';
import { describeReceivers } from './receivers';

const config = {
  receivers: {
    bind_addr: '0.0.0.0',
    syslog_enabled: true,
    syslog_udp_port: 5514,
    syslog_tcp_enabled: true,
    syslog_tcp_port: 5514,
    otlp_http_enabled: true,
    otlp_http_port: 4318,
    otlp_grpc_enabled: false,
    otlp_grpc_port: 4317,
    webhook_enabled: true,
    webhook_port: 8081,
    webhooks: [{ path: '/hooks/github' }],
  },
};

describe('describeReceivers', () => {
  it('gives each receiver its configured port and a command with it', () => {
    const byName = Object.fromEntries(describeReceivers(config, null, 'seerflow.lan').map((r) => [r.name, r]));
    expect(byName.syslog_udp).toMatchObject({ enabled: true, port: 5514, command: 'logger -d -n seerflow.lan -P 5514 "hello from $(hostname)"' });
    expect(byName.syslog_tcp!.command).toBe('logger -T -n seerflow.lan -P 5514 "hello from $(hostname)"');
    expect(byName.otlp_http!.command).toContain('http://seerflow.lan:4318/v1/logs');
    expect(byName.otlp_grpc!.enabled).toBe(false);
    expect(byName.webhook!.command).toContain('http://seerflow.lan:8081/hooks/github');
  });

  it('prefers the bound ports /stats reports, and a specific bind address', () => {
    const stats = { listeners: { syslog_udp: 40001 } } as unknown as Stats;
    const [udp] = describeReceivers({ receivers: { ...config.receivers, bind_addr: '10.1.2.3', syslog_udp_port: 0 } }, stats, 'ignored');
    expect(udp).toMatchObject({ port: 40001, command: 'logger -d -n 10.1.2.3 -P 40001 "hello from $(hostname)"' });
  });

  it('says the port is unknown rather than inventing one', () => {
    const [udp] = describeReceivers({ receivers: { syslog_udp_port: 0 } }, null, 'h');
    expect(udp!.port).toBeNull();
    expect(udp!.command).toContain('-P <port>');
  });
});
