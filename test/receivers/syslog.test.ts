import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { canonicalEntity } from '../../main/core/entity/identity.js';
import { eventually, applianceFixture, type EventsPage, type TestAppliance } from '../support/appliance.js';
import { sendTcp, sendUdp } from '../support/net.js';


const start = applianceFixture();

async function storedEvents(app: TestAppliance, n: number, query = ''): Promise<EventsPage['items']> {
  return eventually(async () => {
    const { body } = await app.get<EventsPage>(`/api/v1/events?limit=1000${query}`);
    return body.meta.total >= n ? body.items : undefined;
  });
}

describe('syslog receiver (real sockets)', () => {
  it('stores an RFC 5424 line sent over UDP with its header, template, entities and logsource', async () => {
    const appliance = await start();
    const line =
      '<34>1 2026-11-30T10:00:00.123456Z web01 sshd 4242 - - Failed password for root from 203.0.113.7 port 22 ssh2';
    await sendUdp(appliance.port('syslog_udp'), [line]);
    const [event] = await storedEvents(appliance, 1);
    expect(event).toMatchObject({
      host: 'web01',
      app: 'sshd',
      proc_id: '4242',
      timestamp_ns: '1796032800123456000',
      severity_id: 5,
      message: 'Failed password for root from 203.0.113.7 port 22 ssh2',
      source_type: 'syslog',
      log_source_product: 'linux',
      log_source_service: 'sshd',
      raw_event: line,
    });
    expect(event!.template_id).toBeGreaterThan(0);
    expect(event!.template_str).toContain('Failed password for');
    const ip = canonicalEntity('ip', '203.0.113.7')!;
    const user = canonicalEntity('user', 'root')!;
    expect(event!.entity_refs).toEqual(expect.arrayContaining([ip.id, user.id]));
    expect(event!.related_ips).toEqual(['203.0.113.7']);
    expect(event!.related_users).toEqual(['root']);
    const { body: stats } = await appliance.get<{ receivers: Record<string, { received: number; stored: number }> }>(
      '/api/v1/stats',
    );
    expect(stats.receivers.syslog).toMatchObject({ received: 1, stored: 1, dropped: 0 });
  });

  it('reads newline and octet-counted framing over TCP, and RFC 3164 lines', async () => {
    const appliance = await start();
    const a = '<13>Nov 30 10:00:01 db01 postgres[77]: connection received: host=10.1.2.3';
    const b = '<165>1 2026-11-30T10:00:02.5+02:00 fw01 kernel - - - DROP IN=eth0 SRC=198.51.100.9';
    const c = 'plain text without any header';
    await sendTcp(appliance.port('syslog_tcp'), `${a}\n${Buffer.byteLength(b)} ${b}${c}\n`);
    const events = await storedEvents(appliance, 3);
    const byHost = Object.fromEntries(events.map((e) => [e.host || e.message, e]));
    expect(byHost.db01).toMatchObject({ app: 'postgres', proc_id: '77', message: 'connection received: host=10.1.2.3' });
    expect(byHost.fw01).toMatchObject({ app: 'kernel', timestamp_ns: String(BigInt(Date.UTC(2026, 10, 30, 8, 0, 2, 500)) * 1_000_000n) });
    expect(byHost[c]).toMatchObject({ host: '', message: c });
  });

  it('ingests a malformed line as a raw message and truncates oversized input, counting it', async () => {
    const appliance = await start({ receivers: { max_message_bytes: 1024 } });
    await sendUdp(appliance.port('syslog_udp'), ['<999>>>not syslog\u0000\u0007', `<14>${'x'.repeat(5000)}`]);
    const events = await storedEvents(appliance, 2);
    expect(events.map((e) => (e.message as string).length).sort((x, y) => x - y)[1]).toBeLessThanOrEqual(1024);
    expect(events.some((e) => (e.raw_event as string).includes('not syslog'))).toBe(true);
    const { body: stats } = await appliance.get<{ receivers: Record<string, { truncated: number }> }>('/api/v1/stats');
    expect(stats.receivers.syslog!.truncated).toBe(1);
  });

  // /proc/net/udp is Linux's; elsewhere the count is null (documented in /stats).
  it.runIf(process.platform === 'linux')('counts the datagrams the kernel dropped while the receiver could not read', async () => {
    const appliance = await start();
    const socket = dgram.createSocket('udp4');
    const line = `<14>1 2026-11-30T10:00:00Z web01 app - - - ${'x'.repeat(1000)}`;
    const sent = 20_000;
    // Sent without yielding: the receiver (same event loop) reads nothing meanwhile, so the
    // socket's receive buffer overflows; ~45 MB of datagrams exceed any buffer the kernel allows.
    for (let i = 0; i < sent; i++) socket.send(line, appliance.port('syslog_udp'), '127.0.0.1');
    type Stats = { receivers: Record<string, { received: number }>; syslog: { udp_kernel_dropped: number } };
    const stats = await eventually(async () => {
      const { body } = await appliance.get<Stats>('/api/v1/stats');
      return body.receivers.syslog && body.receivers.syslog.received + body.syslog.udp_kernel_dropped === sent ? body : undefined;
    });
    socket.close();
    expect(stats.syslog.udp_kernel_dropped).toBeGreaterThan(0);
    expect(stats.receivers.syslog!.received).toBeGreaterThan(0);
  });
});
