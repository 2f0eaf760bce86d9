/** Real-socket helpers for tests: clients for the receivers, a free port for servers. */
import dgram from 'node:dgram';
import net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { logsServiceDefinition } from '../../plugins/receivers/otlp/grpc.js';

export function sendUdp(port: number, messages: string[]): Promise<void> {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    let pending = messages.length;
    for (const message of messages) {
      socket.send(Buffer.from(message), port, '127.0.0.1', (error) => {
        if (error) reject(error);
        if (--pending === 0) {
          socket.close();
          resolve();
        }
      });
    }
  });
}

/** Write `payload` over one TCP connection and close it once the peer has read everything. */
export function sendTcp(port: number, payload: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(payload));
    socket.on('error', reject);
    socket.on('close', () => resolve());
    socket.resume();
  });
}

/** A TCP port free on loopback right now (for servers that cannot be told to take port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

type ExportCall = (payload: Buffer, callback: (error: grpc.ServiceError | null) => void) => void;

/** An OTLP/gRPC client of the LogsService on `port`: `send` resolves with the call's error (null = OK). */
export function otlpGrpcClient(port: number): { send(payload: Buffer): Promise<grpc.ServiceError | null>; close(): void } {
  const Client = grpc.makeGenericClientConstructor(logsServiceDefinition, 'LogsService');
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const exportCall = (client as unknown as { Export: ExportCall }).Export.bind(client);
  return {
    send: (payload) => new Promise((resolve) => exportCall(payload, resolve)),
    close: () => client.close(),
  };
}
