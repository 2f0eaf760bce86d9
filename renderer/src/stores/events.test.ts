import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeApi, makeEvent } from '../testing/fake-api';
import { MAX_LIVE, MAX_PAUSED, useEventsStore } from './events';

let api: FakeApi;
let frames: Array<() => void>;
const nsAgo = (ms: number) => `${BigInt(Date.now() - ms) * 1_000_000n}`;

beforeEach(() => {
  setActivePinia(createPinia());
  api = new FakeApi();
  vi.stubGlobal('fetch', api.fetch);
  frames = [];
});
afterEach(() => vi.unstubAllGlobals());

function store() {
  const events = useEventsStore();
  events.useScheduler((flush) => frames.push(flush));
  return events;
}
const nextFrame = () => frames.splice(0).forEach((flush) => flush());

describe('events store', () => {
  it('applies streamed frames once per animation frame, newest first, capped', () => {
    const events = store();
    events.enqueue([makeEvent({ message: 'a' }), makeEvent({ message: 'b' })]);
    events.enqueue([makeEvent({ message: 'c' })]);
    expect(frames).toHaveLength(1);
    expect(events.live).toEqual([]);
    nextFrame();
    expect(events.live.map((e) => e.message)).toEqual(['c', 'b', 'a']);

    events.enqueue(Array.from({ length: MAX_LIVE + 10 }, () => makeEvent()));
    nextFrame();
    expect(events.live).toHaveLength(MAX_LIVE);
    expect(events.received).toBe(MAX_LIVE + 13);
  });

  it('buffers while paused and resumes in order', () => {
    const events = store();
    events.enqueue([makeEvent({ message: 'before' })]);
    nextFrame();
    events.pause();
    events.enqueue([makeEvent({ message: 'p0' }), makeEvent({ message: 'p1' })]);
    nextFrame();
    expect(events.live.map((e) => e.message)).toEqual(['before']);
    expect(events.pausedBuffer.map((e) => e.message)).toEqual(['p1', 'p0']);
    events.resume();
    expect(events.live.map((e) => e.message)).toEqual(['p1', 'p0', 'before']);
    expect(events.pausedBuffer).toEqual([]);
  });

  it('keeps the newest events while paused, counting the oldest it drops', () => {
    const events = store();
    events.pause();
    events.enqueue(Array.from({ length: MAX_PAUSED + 3 }, (_, i) => makeEvent({ message: `p${i}` })));
    nextFrame();
    expect(events.pausedBuffer).toHaveLength(MAX_PAUSED);
    expect(events.pausedBuffer.at(-1)!.message).toBe('p3');
    expect(events.droppedWhilePaused).toBe(3);
    events.resume();
    expect(events.live).toHaveLength(MAX_LIVE);
    expect(events.live[0]!.message).toBe(`p${MAX_PAUSED + 2}`);
  });

  it('counts volume by severity per received second, active entities and latency', () => {
    const events = store();
    events.enqueue([
      makeEvent({ severity_id: 6, observed_ns: nsAgo(40), entity_refs: ['u1', 'u2'] }),
      makeEvent({ severity_id: 4, observed_ns: nsAgo(40), entity_refs: ['u1'] }),
      makeEvent({ severity_id: 1, observed_ns: nsAgo(40) }),
    ]);
    nextFrame();
    const total = events.volume.reduce((sum, v) => ({ info: sum.info + v.info, warn: sum.warn + v.warn, crit: sum.crit + v.crit }), { info: 0, warn: 0, crit: 0 });
    expect(total).toEqual({ info: 1, warn: 1, crit: 1 });
    expect(events.activeEntities).toBe(2);
    expect(events.latencyMs).toBeGreaterThanOrEqual(40);
    expect(events.latencyMs).toBeLessThan(1000);
  });

  it('filters the live list by minimum severity and source', () => {
    const events = store();
    events.enqueue([makeEvent({ severity_id: 1, source_type: 'syslog' }), makeEvent({ severity_id: 5, source_type: 'otlp' }), makeEvent({ severity_id: 5, source_type: 'syslog' })]);
    nextFrame();
    events.liveMinSeverity = 4;
    events.liveSources = ['syslog'];
    expect(events.visible.map((e) => [e.severity_id, e.source_type])).toEqual([[5, 'syslog']]);
    expect(events.knownSources).toEqual(['otlp', 'syslog']);
  });

  it('searches on the server with every filter, and reports the total', async () => {
    api.on('GET /events', { status: 200, body: { items: [makeEvent({ message: 'Failed password' })], meta: { total: 12, page: 1, limit: 500, total_capped: true } } });
    const events = store();
    await events.runSearch({ q: 'Failed', source: 'sshd', severity: 4, template_id: 7, entity: '203.0.113.7', hours: 1 });
    const query = Object.fromEntries(api.calls('GET /events')[0]!.query);
    expect(query).toMatchObject({ q: 'Failed', source: 'sshd', severity: '4', template_id: '7', entity: '203.0.113.7', limit: '500' });
    expect(query.since).toMatch(/Z$/);
    expect(events.results.map((e) => e.message)).toEqual(['Failed password']);
    expect([events.resultsTotal, events.resultsCapped, events.searched]).toEqual([12, true, true]);
    events.clearSearch();
    expect([events.results, events.searched]).toEqual([[], false]);
  });
});
