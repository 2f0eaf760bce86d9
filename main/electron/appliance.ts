/**
 * The appliance inside the desktop app: the same server as `seerflow start`, in the main
 * process, with the dashboard on the configured port or, when that is taken, any free one.
 */
import net from 'node:net';
import type Hapi from '@hapi/hapi';
import type { Logger } from 'pino';
import { findRendererDir } from '../cli/start.js';
import type { SeerflowConfig } from '../config/types.js';
import { systemClockNs } from '../core/clock.js';
import { keepHeapNearLiveSet } from '../core/heap.js';
import { reachableAddress } from '../demo/senders.js';
import { createServer } from '../server.js';
import { choosePort } from './port.js';

export interface DesktopAppliance {
  server: Hapi.Server;
  /** The config in force (with the port actually used). */
  config: SeerflowConfig;
  /** Where the window loads the dashboard from, e.g. `http://127.0.0.1:8080`. */
  origin: string;
}

export function originOf(bindAddress: string, port: number): string {
  const host = reachableAddress(bindAddress);
  return `http://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
}

export async function startDesktopAppliance(config: SeerflowConfig, logger: Logger): Promise<DesktopAppliance> {
  const host = config.health_bind_address;
  const port = await choosePort(host, config.dashboard_port);
  if (port !== config.dashboard_port) {
    logger.warn({ configured: config.dashboard_port, port }, 'dashboard port in use: the desktop app uses another one');
  }
  const effective = { ...config, dashboard_port: port };
  keepHeapNearLiveSet();
  const server = await createServer({ config: effective, logger, clock: systemClockNs, rendererDir: findRendererDir() });
  try {
    await server.start();
  } catch (error) {
    await server.seerflow.close();
    throw error;
  }
  return { server, config: effective, origin: originOf(host, port) };
}
