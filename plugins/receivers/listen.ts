/**
 * Binding helpers shared by the receivers: listen, and turn the usual failures into a message
 * that says which receiver, which port, and what to do.
 */
import type dgram from 'node:dgram';
import type net from 'node:net';

export function bindErrorMessage(what: string, port: number, error: NodeJS.ErrnoException): string {
  if (error.code === 'EADDRINUSE') return `${what}: port ${port} is already in use (another process listens on it); change the port in the config`;
  if (error.code === 'EACCES') return `${what}: no permission to bind port ${port}; ports below 1024 need privileges, use an unprivileged port`;
  if (error.code === 'EADDRNOTAVAIL') return `${what}: the bind address is not on this machine`;
  return `${what}: cannot listen on port ${port}: ${error.message}`;
}

export function listenTcp(server: net.Server, host: string, port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(new Error(bindErrorMessage(what, port, error)));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export function bindUdp(socket: dgram.Socket, host: string, port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(new Error(bindErrorMessage(what, port, error)));
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}
