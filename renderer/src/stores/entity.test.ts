import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeApi } from '../testing/fake-api';
import { useEntityStore } from './entity';

const A = '00cd565b-0e19-52b5-9029-45d1ae8929be';
const B = '11cd565b-0e19-52b5-9029-45d1ae8929be';
let api: FakeApi;
const timeline = (uuid: string, value: string) => ({
  status: 200,
  body: { entity_uuid: uuid, entity_type: 'ip', entity_value: value, events: [], related: [], total: 0 },
});

beforeEach(() => {
  setActivePinia(createPinia());
  api = new FakeApi()
    .on(`GET /entities/${A}/timeline`, timeline(A, '203.0.113.7'))
    .on(`GET /entities/${A}/risk-history`, { status: 200, body: { entity_uuid: A, meta: {}, items: [{ bucket_start_ns: '1', points: 0.5, alert_count: 1, top_rule_name: 'x' }] } })
    .on(`GET /entities/${A}/baseline`, { status: 503, body: { message: 'ueba is not ready (disabled)', detail: 'ueba_not_ready' } });
  vi.stubGlobal('fetch', api.fetch);
});
afterEach(() => vi.unstubAllGlobals());

describe('entity store', () => {
  it('loads timeline, risk history and baseline, with the window of the range', async () => {
    const store = useEntityStore();
    await store.open(A, '6h');
    expect(store.timeline?.entity_value).toBe('203.0.113.7');
    expect(store.risk).toHaveLength(1);
    expect(store.baselineState).toBe('off');
    const query = api.calls(`GET /entities/${A}/timeline`)[0]!.query;
    const spanNs = BigInt(query.get('end_ns')!) - BigInt(query.get('start_ns')!);
    expect(spanNs).toBe(6n * 3_600_000_000_000n);
    expect(api.calls(`GET /entities/${A}/risk-history`)[0]!.query.get('range')).toBe('6h');
  });

  it('shows the warm-up state of a baseline still learning', async () => {
    api.on(`GET /entities/${A}/baseline`, { status: 404, body: { status: 'warming_up', events_observed: 1, events_required: 50 } });
    const store = useEntityStore();
    await store.open(A);
    expect(store.baselineState).toBe('warming_up');
    expect(store.baselineInfo).toMatchObject({ events_observed: 1, events_required: 50 });
  });

  it('never paints an older entity over a newer one', async () => {
    let release: () => void = () => undefined;
    api.on(`GET /entities/${B}/timeline`, () => new Promise((resolve) => (release = () => resolve(timeline(B, 'slow')))));
    const store = useEntityStore();
    const slow = store.open(B);
    await store.open(A);
    release();
    await slow;
    expect(store.timeline?.entity_value).toBe('203.0.113.7');
    expect(store.uuid).toBe(A);
  });

  it('tells a baseline never built (404) from a failure', async () => {
    api.on(`GET /entities/${A}/baseline`, { status: 404, body: { message: 'no UEBA baseline for this entity' } });
    const store = useEntityStore();
    await store.open(A);
    expect(store.baselineState).toBe('none');
    api.on(`GET /entities/${A}/baseline`, { status: 500, body: { message: 'boom' } });
    await store.open(A);
    expect(store.baselineState).toBe('failed');
  });

  it('says which entity is unknown (404)', async () => {
    const store = useEntityStore();
    await store.open(B);
    expect(store.notFound).toBe(true);
  });
});
