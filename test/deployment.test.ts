/**
 * The deployment files in build/ stay in step with the code: the appliance config they install
 * validates, the container declares the ports that config listens on, and both run the built CLI
 * as an unprivileged user.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../main/config/load.js';

const read = (file: string) => fs.readFileSync(new URL(`../build/${file}`, import.meta.url), 'utf8');

describe('deployment files', () => {
  const configFile = new URL('../build/systemd/seerflow.yaml', import.meta.url).pathname;
  const { config } = loadConfig(configFile, {});

  it('installs a config that validates and exposes the receivers', () => {
    expect(config.receivers.bind_addr).toBe('0.0.0.0');
    expect(config.health_bind_address).toBe('127.0.0.1');
  });

  it('the container declares every port the config listens on, and runs unprivileged', () => {
    const containerfile = read('container/Containerfile');
    const exposed = /^EXPOSE (.+)$/m.exec(containerfile)![1]!.split(/\s+/);
    const { receivers } = config;
    for (const port of [
      `${config.dashboard_port}/tcp`,
      `${receivers.syslog_udp_port}/udp`,
      `${receivers.syslog_tcp_port}/tcp`,
      `${receivers.otlp_grpc_port}/tcp`,
      `${receivers.otlp_http_port}/tcp`,
      `${receivers.webhook_port}/tcp`,
    ]) {
      expect(exposed).toContain(port);
    }
    expect(containerfile).toMatch(/^USER seerflow$/m);
    expect(containerfile).toMatch(/^VOLUME \["\/var\/lib\/seerflow"\]$/m);
    expect(containerfile).toContain('bin/seerflow.js", "start"');
  });

  it('the systemd unit runs the built CLI as the seerflow user with the data folder writable', () => {
    const unit = read('systemd/seerflow.service');
    expect(unit).toMatch(/^User=seerflow$/m);
    expect(unit).toMatch(/^ExecStart=.*bin\/seerflow\.js start --config \/etc\/seerflow\/seerflow\.yaml$/m);
    expect(unit).toMatch(/^ReadWritePaths=\/var\/lib\/seerflow$/m);
    expect(unit).toMatch(/^Environment=SEERFLOW_DATA_DIR=\/var\/lib\/seerflow$/m);
    expect(fs.existsSync(new URL('../bin/seerflow.js', import.meta.url))).toBe(true);
  });
});
