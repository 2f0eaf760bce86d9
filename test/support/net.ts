/** Real-socket clients for receiver tests. */
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
