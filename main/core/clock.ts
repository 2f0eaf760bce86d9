/**
 * Wall-clock time in nanoseconds. Algorithms take time as an argument; this is the one place
 * the process reads the clock, so tests can pass their own.
 */
export type ClockNs = () => bigint;

// Anchor the monotonic high-resolution clock to the wall clock once, for sub-ms resolution.
const anchorWallNs = BigInt(Date.now()) * 1_000_000n;
const anchorMonoNs = process.hrtime.bigint();

export const systemClockNs: ClockNs = () => anchorWallNs + (process.hrtime.bigint() - anchorMonoNs);
