import { describe, expect, it } from 'vitest';
import { emptyHours, timeOfDayScore, utcHour } from './hours.js';

describe('hour of day', () => {
  it('reads the UTC hour of an event time', () => {
    expect(utcHour(Date.UTC(2025, 6, 28, 23, 41, 7))).toBe(23);
    expect(utcHour(Date.UTC(2025, 6, 28, 0, 0, 0))).toBe(0);
    expect(utcHour(Date.UTC(1969, 11, 31, 22, 30))).toBe(22);
  });

  it('scores 0 at the busiest hour, 1 at a never-seen hour, proportionally between', () => {
    const hours = emptyHours();
    hours[4] = 40;
    hours[5] = 10;
    expect(timeOfDayScore(hours, 4)).toBe(0);
    expect(timeOfDayScore(hours, 5)).toBe(0.75);
    expect(timeOfDayScore(hours, 23)).toBe(1);
  });

  it('scores 0 with nothing to compare against', () => {
    expect(timeOfDayScore(emptyHours(), 12)).toBe(0);
  });
});
