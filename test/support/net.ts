/** Real-socket helpers for tests: clients for the receivers, a free port for servers. */
import dgram from 'node:dgram';
import net from 'node:net';

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
