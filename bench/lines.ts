/**
 * Deterministic RFC 5424 syslog lines for the pipeline benches, built from the template bench's
 * synthetic messages (same PRNG and seed, so every run feeds the same input).
 */
import { syntheticMessages } from './template-mining.bench.js';

const HOSTS = ['web01', 'web02', 'db01', 'fw01', 'bastion'];
const APPS = ['sshd', 'sudo', 'CRON', 'nginx', 'kernel'];

export function syslogLines(count: number): string[] {
  return syntheticMessages(count).map((message, i) => {
    const seconds = String(i % 60).padStart(2, '0');
    const micros = String((i * 7919) % 1_000_000).padStart(6, '0');
    return `<${32 + (i % 8)}>1 2026-11-30T10:00:${seconds}.${micros}Z ${HOSTS[i % 5]} ${APPS[i % 5]} ${1000 + (i % 500)} - - ${message}`;
  });
}
