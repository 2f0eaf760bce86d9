/**
 * How the demo reaches the appliance: as any outside sender would, through its receivers. Syslog
 * over one TCP connection (newline framing; the receiver's backpressure slows us down) or UDP
 * datagrams, and OTLP/HTTP JSON log exports acknowledged after commit.
 */
import dgram from 'node:dgram';
import net from 'node:net';

export interface LineSender {
  /** Resolves once the lines are handed over (TCP: written; UDP: sent). */
  send(lines: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export interface AccessRecord {
  host: string;
  timeMs: number;
  line: string;
}

export interface AccessSender {
  /** Resolves once the appliance acknowledged (committed) the records. */
  send(records: readonly AccessRecord[]): Promise<void>;
}

/** Where to reach a listener bound to `bindAddr`: loopback for the wildcard addresses. */
export function reachableAddress(bindAddr: string): string {
  if (bindAddr === '0.0.0.0') return '127.0.0.1';
  if (bindAddr === '::') return '::1';
  return bindAddr;
}

export async function connectSyslogTcp(host: string, port: number): Promise<LineSender> {
  const socket = net.connect(port, host);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let failure: Error | undefined;
  socket.on('error', (error) => (failure = error));
  return {
    send(lines) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        socket.write(`${lines.join('\n')}\n`, (error) => (error ? reject(error) : resolve()));
      });
    },
    close() {
      return new Promise((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        socket.end();
      });
    },
  };
}

export function syslogUdp(host: string, port: number): LineSender {
  const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  const sendOne = (line: string) =>
    new Promise<void>((resolve, reject) => socket.send(Buffer.from(line), port, host, (error) => (error ? reject(error) : resolve())));
  return {
    async send(lines) {
      for (const line of lines) await sendOne(line);
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** nginx access lines as OTLP log records: one resource per web server, INFO, body = the line. */
function exportRequest(records: readonly AccessRecord[]): unknown {
  const byHost = new Map<string, AccessRecord[]>();
  for (const record of records) {
    const list = byHost.get(record.host);
    if (list) list.push(record);
    else byHost.set(record.host, [record]);
  }
  return {
    resourceLogs: [...byHost].map(([host, items]) => ({
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: 'nginx' } },
          { key: 'host.name', value: { stringValue: host } },
        ],
      },
      scopeLogs: [
        {
          scope: { name: 'seerflow-demo' },
          logRecords: items.map((item) => ({
            timeUnixNano: `${BigInt(Math.round(item.timeMs)) * 1_000_000n}`,
            severityNumber: 9,
            severityText: 'INFO',
            body: { stringValue: item.line },
          })),
        },
      ],
    })),
  };
}

export function otlpHttp(host: string, port: number): AccessSender {
  const url = `http://${net.isIPv6(host) ? `[${host}]` : host}:${port}/v1/logs`;
  return {
    async send(records) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(exportRequest(records)),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`the OTLP/HTTP receiver answered ${response.status}`);
    },
  };
}

/** Access records as syslog lines from each server's nginx (local7.info), for when OTLP/HTTP is off. */
export function accessOverSyslog(syslog: LineSender): AccessSender {
  return {
    send: (records) =>
      syslog.send(records.map((record) => `<190>1 ${new Date(record.timeMs).toISOString()} ${record.host} nginx - - - ${record.line}`)),
  };
}
