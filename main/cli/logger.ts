/**
 * The process logger: structured (pino) on stderr, so stdout stays free for command output
 * (`seerflow analyze` prints only alerts there).
 */
import pino, { type Logger } from 'pino';
import type { SeerflowConfig } from '../config/types.js';

const LEVELS: Record<SeerflowConfig['log_level'], string> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warn',
  ERROR: 'error',
  CRITICAL: 'fatal',
};

export function createLogger(level: SeerflowConfig['log_level']): Logger {
  return pino({ level: LEVELS[level], base: { app: 'seerflow' } }, pino.destination({ fd: 2, sync: true }));
}
