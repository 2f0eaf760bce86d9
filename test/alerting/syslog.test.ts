/**
 * Syslog sinks in the real appliance: RFC 5424 messages carrying CEF or LEEF to a real UDP and a
 * real TCP collector (octet-counted frames), with hostile alert content that must not break the
 * framing, the header or the attributes; and a collector that is down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertingStats } from '../../plugins/alerting/dispatcher.js';
import { applianceFixture, eventually } from '../support/appliance.js';
import { makeAlert } from '../support/make-alert.js';
import { captureTcp, captureUdp, splitOctetCounted, type SyslogCapture } from './capture.js';
import { readCef, readLeef } from './read-formats.js';

const start = applianceFixture();
const captures: SyslogCapture[] = [];
afterEach(async () => {
  await Promise.all(captures.splice(0).map((capture) => capture.close()));
});

const RFC5424 = /^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) ([!-~]+) seerflow (\d+) (\w+) - \uFEFF(.*)$/s;

const HOSTILE = makeAlert({
  timestampNs: 1_796_032_800_123_000_000n,
  severity: 4,
  ruleName: 'Pipe | rule \\ = name\nwith newline',
  description: `line one\nline two | a=b \\ tab\there ünïcødé 🚨 ${'x'.repeat(3000)}`,
  entityType: 'user',
  entityValue: 'CORP\\mallory=admin|root',
});

describe('syslog sinks', () => {
  it('sends RFC 5424 + CEF datagrams over UDP, one alert per datagram, escaping hostile content', async () => {
    const udp = await captureUdp();
    captures.push(udp);
    const appliance = await start({
      alerting: { sinks: [{ type: 'syslog', name: 'siem', options: { host: '127.0.0.1', port: udp.port, protocol: 'udp', facility: 4 } }] },
    });
    appliance.server.seerflow.alerts.publish(HOSTILE);
    appliance.server.seerflow.alerts.publish(makeAlert({ severity: 1 }));
    await eventually(async () => udp.received.length === 2);

    const [hostile, plain] = udp.received.map((datagram) => datagram.match(RFC5424));
    expect(hostile).not.toBeNull();
    expect(hostile![1]).toBe(String(4 * 8 + 3)); // auth facility, ERROR → syslog 3
    expect(plain![1]).toBe(String(4 * 8 + 6)); // INFORMATIONAL → syslog 6
    expect(hostile![2]).toBe('2026-11-30T10:00:00.123Z');
    expect(hostile![5]).toBe('sigma');
    const cef = hostile![6]!;
    expect(cef).not.toMatch(/[\r\n\t]/);
    expect(cef.startsWith('CEF:0|Seerflow|Seerflow|0.1.0|sigma:Pipe \\| rule \\\\ = name with newline|Pipe \\| rule \\\\ = name with newline|7|')).toBe(true);
    expect(cef).toContain(' msg=line one\\nline two | a\\=b \\\\ tab here ünïcødé 🚨 xxx');
    expect(cef).toContain(' suser=CORP\\\\mallory\\=admin|root ');
    const { header, ext } = readCef(cef);
    expect(header[5]).toBe('Pipe | rule \\ = name with newline');
    expect(ext.suser).toBe(HOSTILE.entityValue);
    expect(ext.msg).toBe(HOSTILE.description.slice(0, 1023).replace('\t', ' ')); // CR and LF survive escaped; a tab is a space
    expect(cef.match(/ msg=(.*?) suser=/)![1]!.length).toBeLessThan(1100); // cut to 1023 characters before escaping
  });

  it('sends octet-counted RFC 5424 + LEEF frames over one TCP connection', async () => {
    const tcp = await captureTcp();
    captures.push(tcp);
    const appliance = await start({
      alerting: { sinks: [{ type: 'syslog', name: 'qradar', formatter: 'leef', options: { host: '127.0.0.1', port: tcp.port, protocol: 'tcp' } }] },
    });
    const plain = makeAlert({ severity: 6 });
    appliance.server.seerflow.alerts.publish(HOSTILE);
    appliance.server.seerflow.alerts.publish(plain);
    const frames = await eventually(async () => {
      const all = tcp.received.length === 1 ? splitOctetCounted(tcp.received[0]!) : [];
      return all.length === 2 && all;
    });
    const [hostile, second] = frames.map((frame) => frame.match(RFC5424));
    expect(hostile![1]).toBe(String(1 * 8 + 3));
    expect(second![1]).toBe(String(1 * 8 + 1)); // FATAL → syslog 1 (alert)
    const leef = hostile![6]!;
    expect(leef).not.toMatch(/[\r\n]/);
    expect(leef.startsWith('LEEF:2.0|Seerflow|Seerflow|0.1.0|sigma:Pipe \\| rule \\\\ = name with newline|x09|')).toBe(true);
    const { header, attributes } = readLeef(leef);
    expect(header[4]).toBe('sigma:Pipe | rule \\ = name with newline');
    expect(attributes.usrName).toBe('CORP\\mallory=admin|root');
    expect(attributes.description!.startsWith('line one line two | a=b \\ tab here ünïcødé 🚨 xxx')).toBe(true);
    expect(attributes.description).toHaveLength(1023);
    expect(attributes.sev).toBe('7');
    expect(second![6]).toContain(`\talertId=${plain.alertId}\t`);
  });

  it('counts a collector that is down as dropped after the bounded attempts, and reconnects once it is back', async () => {
    const tcp = await captureTcp();
    const port = tcp.port;
    await tcp.close();
    const appliance = await start({
      api_rate_limit_enabled: false,
      alerting: {
        sinks: [{ type: 'syslog', name: 'siem', options: { host: '127.0.0.1', port, protocol: 'tcp' } }],
        delivery: { attempts: 2, backoff_base_ms: 10 },
      },
    });
    appliance.server.seerflow.alerts.publish(makeAlert());
    const sinkStats = async () => (await appliance.get<{ alerting: AlertingStats }>('/api/v1/stats')).body.alerting.sinks[0]!;
    await eventually(async () => (await sinkStats()).dropped === 1);
    expect(await sinkStats()).toMatchObject({ delivered: 0, retries: 1, dropped_undeliverable: 1, last_error: expect.stringContaining(`cannot connect to 127.0.0.1:${port}/tcp`) });

    const back = await captureTcp(port);
    captures.push(back);
    const later = makeAlert();
    appliance.server.seerflow.alerts.publish(later);
    await eventually(async () => (await sinkStats()).delivered === 1);
    const frames = await eventually(async () => back.received.length === 1 && splitOctetCounted(back.received[0]!));
    expect(frames).toHaveLength(1);
    expect(frames[0]).toContain(`externalId=${later.alertId} `);
  });
});
