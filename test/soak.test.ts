/**
 * The soak harness in its short form (the long run is `npm run bench:soak`): a real appliance fed
 * over syslog UDP, syslog TCP and OTLP/HTTP at a modest steady rate stores everything it was
 * sent, and the report's accounting closes (stored + dropped + unaccounted = sent).
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from '../bench/soak.js';

describe('soak (short form)', () => {
  it('stores every event sent at a steady rate over the three receivers, with RSS sampled', async () => {
    const report = await runSoak({ durationS: 6, rate: 600, intervalS: 2 });
    expect(report.sent).toBeGreaterThanOrEqual(3000);
    expect(report.stored + report.dropped + report.unaccounted).toBe(report.sent);
    expect(report.dropped).toBe(0);
    expect(report.unaccounted).toBe(0);
    expect(report.samples.length).toBeGreaterThanOrEqual(2);
    expect(report.samples.every((sample) => sample.rssMb > 0)).toBe(true);
    expect(report.p99Ms).toBeGreaterThan(0);
  }, 120_000);
});
