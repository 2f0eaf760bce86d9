/** Real listeners that record what the alert sinks send: an HTTP webhook receiver, a UDP and a TCP syslog collector. */
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpCapture {
  url: string;
  port: number;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1 that records every request and answers `status(n)` for the n-th
 * (1-based), 204 by default, after `delayMs`.
 */
export async function captureHttp(options: { status?: (n: number) => number; delayMs?: number } = {}): Promise<HttpCapture> {
  const requests: CapturedRequest[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
      const status = options.status?.(requests.length) ?? 204;
      setTimeout(() => response.writeHead(status).end(), options.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook/T0KEN`,
    port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SyslogCapture {
  port: number;
  /** Datagrams (UDP) or raw bytes received so far (TCP), as UTF-8. */
  received: string[];
  close(): Promise<void>;
}

export async function captureUdp(): Promise<SyslogCapture> {
  const received: string[] = [];
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message) => received.push(message.toString('utf8')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, received, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}

/** Everything each connection sent, one string per connection; on `port` when given. */
export async function captureTcp(port = 0): Promise<SyslogCapture> {
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const index = received.push('') - 1;
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      received[index] = Buffer.concat(chunks).toString('utf8');
    });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Split an RFC 6587 octet-counted stream into its messages, checking each length against the bytes. */
export function splitOctetCounted(stream: string): string[] {
  const bytes = Buffer.from(stream, 'utf8');
  const messages: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    const space = bytes.indexOf(0x20, at);
    const length = Number(bytes.subarray(at, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0) throw new Error(`bad frame length at byte ${at}`);
    messages.push(bytes.subarray(space + 1, space + 1 + length).toString('utf8'));
    at = space + 1 + length;
  }
  return messages;
}
