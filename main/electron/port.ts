/**
 * The dashboard's port for the desktop app: the configured one (8080 by default) when it is
 * free, else any free port, so a second appliance or another program on 8080 does not stop the
 * app from starting. The headless appliance keeps failing loudly instead (`seerflow start`).
 */
import net from 'node:net';

/** True when `port` can be bound on `host` right now. */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** A port the OS says is free on `host`. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** `preferred` when it is free on `host`, else another free port. */
export async function choosePort(host: string, preferred: number): Promise<number> {
  if (preferred !== 0 && (await isPortFree(host, preferred))) return preferred;
  return freePort(host);
}
