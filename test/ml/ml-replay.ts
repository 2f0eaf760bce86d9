/**
 * Shared by the `ml` integration tests: a configuration whose warm-ups fit a few hundred lines
 * (the defaults need a day of minutes and 1000 calibration scores), and a synthetic replay of
 * routine sshd/cron lines followed by a burst of lockout errors.
 */
import { bsdLine } from '../support/scenario.js';

export const QUICK_ML = {
  receivers: { syslog_enabled: false, otlp_http_enabled: false, otlp_grpc_enabled: false },
  detection: {
    sigma_enabled: false,
    hst_window_size: 50,
    hw: { seasonal_period: 10 },
    cusum: { warmup_buckets: 10 },
    markov: { min_events: 20 },
    min_events_for_scoring: 20,
    dspot: { calibration_window: 200 },
  },
  ueba: { enabled: false },
  correlation: { enabled: false },
};

const ROUTINE = [
  (i: number) => `Accepted publickey for alice from 10.0.0.${(i % 4) + 1} port ${40000 + i} ssh2`,
  (i: number) => `pam_unix(cron:session): session opened for user root by (uid=0) job ${i % 3}`,
  (i: number) => `Connection closed by 10.0.1.${(i % 5) + 1} port ${50000 + i}`,
];

/** 2025-12-10 08:00 UTC, where the replay starts. */
export const REPLAY_START_MS = Date.UTC(2025, 11, 10, 8, 0, 0);

/** 40 minutes of routine lines, 12 a minute, then 80 lockout errors within the 41st minute. */
export function linesWithBurst(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 480; i++) {
    const t = new Date(REPLAY_START_MS + Math.floor(i / 12) * 60_000 + (i % 12) * 5000).toISOString();
    lines.push(bsdLine(t, 'bastion', 'sshd', ROUTINE[i % 3]!(i)));
  }
  for (let i = 0; i < 80; i++) {
    const t = new Date(REPLAY_START_MS + 40 * 60_000 + Math.floor(i / 2) * 1000).toISOString();
    lines.push(bsdLine(t, 'bastion', 'sshd', `error: maximum authentication attempts exceeded for root from 203.0.113.9 port ${30000 + i} ssh2 [preauth]`));
  }
  return lines;
}
