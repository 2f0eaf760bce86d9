/**
 * The syslog sink: RFC 5424 messages carrying CEF, LEEF or JSON, over UDP (one message per
 * datagram) or TCP (RFC 6587 octet counting on one kept-open connection, re-opened on demand
 * after a failure). The target is the operator's collector, usually on the private network, so
 * it is not subject to the URL SSRF policy.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { Alert } from '../../../main/core/alert.js';
import { formatRfc5424, octetCounted, type SyslogHeader } from '../format/rfc5424.js';
import { DeliveryError, type Sink } from './sink.js';

export interface SyslogSinkOptions {
  name: string;
  minSeverity: number;
  formatter: string;
  /** The MSG part (CEF, LEEF or JSON line). */
  format: (alert: Alert) => string;
  host: string;
  port: number;
  protocol: 'udp' | 'tcp';
  header: SyslogHeader;
  timeoutMs: number;
}

export class SyslogSink implements Sink {
  readonly type = 'syslog';
  readonly name: string;
  readonly formatter: string;
  readonly minSeverity: number;
  readonly #options: SyslogSinkOptions;
  #udp: dgram.Socket | null = null;
  #tcp: net.Socket | null = null;

  constructor(options: SyslogSinkOptions) {
    this.name = options.name;
    this.formatter = options.formatter;
    this.minSeverity = options.minSeverity;
    this.#options = options;
  }

  render(alert: Alert): string {
    return formatRfc5424(alert, this.#options.format(alert), this.#options.header);
  }

  send(payload: string, signal: AbortSignal): Promise<void> {
    return this.#options.protocol === 'udp' ? this.#sendUdp(payload) : this.#sendTcp(payload, signal);
  }

  async close(): Promise<void> {
    this.#udp?.close();
    this.#udp = null;
    this.#tcp?.destroy();
    this.#tcp = null;
  }

  #sendUdp(payload: string): Promise<void> {
    const { host, port } = this.#options;
    if (!this.#udp) {
      this.#udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
      this.#udp.on('error', () => undefined); // reported through each send's callback
    }
    const socket = this.#udp;
    return new Promise((resolve, reject) => {
      socket.send(Buffer.from(payload, 'utf8'), port, host, (error) => {
        if (!error) return resolve();
        const tooBig = (error as NodeJS.ErrnoException).code === 'EMSGSIZE';
        reject(new DeliveryError(`cannot send to ${host}:${port}/udp: ${error.message}`, !tooBig));
      });
    });
  }

  async #sendTcp(payload: string, signal: AbortSignal): Promise<void> {
    const socket = await this.#connect(signal);
    const { host, port } = this.#options;
    return new Promise((resolve, reject) => {
      socket.write(octetCounted(payload), (error) => {
        if (!error) return resolve();
        socket.destroy();
        reject(new DeliveryError(`cannot send to ${host}:${port}/tcp: ${error.message}`, true));
      });
    });
  }

  #connect(signal: AbortSignal): Promise<net.Socket> {
    if (this.#tcp && !this.#tcp.destroyed) return Promise.resolve(this.#tcp);
    const { host, port, timeoutMs } = this.#options;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, signal });
      const timer = setTimeout(() => socket.destroy(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', failed);
        socket.on('error', () => undefined); // a later failure surfaces in the next write
        socket.on('close', () => {
          if (this.#tcp === socket) this.#tcp = null;
        });
        socket.resume(); // a collector sends nothing; never let its bytes pile up
        this.#tcp = socket;
        resolve(socket);
      });
      const failed = (error: Error) => {
        clearTimeout(timer);
        reject(new DeliveryError(`cannot connect to ${host}:${port}/tcp: ${error.message}`, true));
      };
      socket.once('error', failed);
    });
  }
}
