/**
 * Syslog receiver: UDP (one message per datagram, RFC 5426) and TCP (newline or RFC 6587
 * octet-counted framing) on `syslog_udp_port` / `syslog_tcp_port`. Lines go to the pipeline as
 * they are; the normalizer parses the RFC 5424 / 3164 header. UDP cannot push back, so a full
 * queue is a counted drop, and so is what the kernel dropped before we could read it
 * (`stats().udp_kernel_dropped`); TCP pauses the connection until the queue has room.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { Plugin } from '@hapi/hapi';
import type { SeerflowConfig } from '../../../main/config/types.js';
import type { RawEvent } from '../../../main/core/event.js';
import { bindUdp, listenTcp } from '../listen.js';
import { SyslogStreamDecoder, decodeDatagram } from './framing.js';
import { kernelUdpDrops } from './udp-drops.js';

type Options = SeerflowConfig['receivers'];

const RETRY_MS = 10;
/** How long peers get to finish sending after we stop. */
const CLOSE_GRACE_MS = 2000;
const UDP_RECEIVE_BUFFER = 8 * 1024 * 1024;

declare module '@hapi/hapi' {
  interface PluginProperties {
    'receiver-syslog': { stats(): { udp_kernel_dropped: number | null } };
  }
}

export const syslogReceiverPlugin: Plugin<Options> = {
  name: 'receiver-syslog',
  version: '1.0.0',
  register(server, options) {
    const { pipeline, clock, health, listeners } = server.seerflow;
    const maxBytes = options.max_message_bytes;
    const toRaw = (line: string, remoteAddr: string | undefined, truncated: boolean): RawEvent => ({
      sourceType: 'syslog',
      sourceId: 'syslog',
      receivedNs: clock(),
      line,
      remoteAddr,
      truncated,
    });
    let listening = false;
    health.register('receiver.syslog', () => (listening ? { status: 'ok' } : { status: 'starting' }));

    // UDP
    const udp = dgram.createSocket({ type: options.bind_addr.includes(':') ? 'udp6' : 'udp4' });
    udp.on('message', (datagram, remote) => {
      const { lines, truncated } = decodeDatagram(datagram, maxBytes);
      for (const line of lines) pipeline.offer(toRaw(line, remote.address, truncated));
    });
    udp.on('error', (error) => server.logger.warn({ err: error.message }, 'syslog UDP socket error'));
    server.expose('stats', () => {
      const port = listeners.get('syslog_udp');
      return { udp_kernel_dropped: port === undefined ? null : kernelUdpDrops(port) };
    });

    // TCP
    const sockets = new Set<net.Socket>();
    const tcp = net.createServer((socket) => {
      sockets.add(socket);
      const decoder = new SyslogStreamDecoder({ maxMessageBytes: maxBytes });
      const remoteAddr = socket.remoteAddress;
      let backlog: RawEvent[] = [];
      // Offer what fits; pause the connection (TCP backpressure) until the queue has room.
      const deliver = () => {
        if (!pipeline.hasRoom(backlog.length)) {
          socket.pause();
          setTimeout(deliver, RETRY_MS).unref();
          return;
        }
        for (const raw of backlog) pipeline.offer(raw);
        backlog = [];
        if (!socket.destroyed) socket.resume();
      };
      const take = (lines: string[]) => {
        if (lines.length === 0) return;
        const cut = new Set(decoder.truncatedIndexes);
        backlog = backlog.concat(lines.map((line, i) => toRaw(line, remoteAddr, cut.has(i))));
        deliver();
      };
      socket.on('data', (chunk) => take(decoder.push(chunk)));
      socket.on('end', () => take(decoder.end()));
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    });
    tcp.maxConnections = options.syslog_tcp_max_connections;

    server.ext('onPreStart', async () => {
      await bindUdp(udp, options.bind_addr, options.syslog_udp_port, 'syslog UDP receiver');
      try {
        udp.setRecvBufferSize(UDP_RECEIVE_BUFFER);
      } catch {
        // The kernel caps it (net.core.rmem_max); the default still works, with drops at bursts.
      }
      listeners.set('syslog_udp', udp.address().port);
      if (options.syslog_tcp_enabled) {
        await listenTcp(tcp, options.bind_addr, options.syslog_tcp_port, 'syslog TCP receiver');
        listeners.set('syslog_tcp', (tcp.address() as net.AddressInfo).port);
      }
      listening = true;
      server.logger.info(
        { udp: listeners.get('syslog_udp'), tcp: listeners.get('syslog_tcp') ?? null },
        'syslog receiver listening',
      );
    });
    server.ext('onPreStop', async () => {
      listening = false;
      udp.close();
      const closed = new Promise((resolve) => (tcp.listening ? tcp.close(resolve) : resolve(undefined)));
      // Half-close: what the peers already sent is still read and delivered ('end' handler).
      for (const socket of sockets) socket.end();
      const linger = setTimeout(() => sockets.forEach((socket) => socket.destroy()), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(linger);
    });
  },
};
