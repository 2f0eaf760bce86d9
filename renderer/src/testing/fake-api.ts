/**
 * For store tests: a fake `fetch` that answers the API routes a test declares (by method and
 * path, query ignored unless the handler reads it) and records every request; a fake nes client;
 * alert and event fixtures in the wire shape.
 */
import type { NesClientLike } from '../api/stream';
import type { Alert, LiveEvent } from '../api/types';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export type FakeAnswer = { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>;
type Handler = (request: FakeRequest) => FakeAnswer;

export class FakeApi {
  readonly requests: FakeRequest[] = [];
  readonly #routes = new Map<string, Handler>();

  /** Answer `METHOD /path` (path after /api/v1, without the query). */
  on(route: string, handler: Handler | { status: number; body?: unknown }): this {
    this.#routes.set(route, typeof handler === 'function' ? handler : () => handler);
    return this;
  }

  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), 'http://appliance.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const request: FakeRequest = { method, path, query: url.searchParams, body: init.body ? JSON.parse(String(init.body)) : undefined };
    this.requests.push(request);
    if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const handler = this.#routes.get(`${method} ${path}`);
    const answer = handler ? await handler(request) : { status: 404, body: { statusCode: 404, message: 'Not Found' } };
    if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    return new Response(answer.status === 204 || answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status });
  };

  /** The requests to `METHOD /path`. */
  calls(route: string): FakeRequest[] {
    return this.requests.filter((r) => `${r.method} ${r.path}` === route);
  }
}

/** A nes client whose connection succeeds (or is refused) as the test says; records the frames sent. */
export class FakeNesClient implements NesClientLike {
  onConnect = () => undefined;
  onDisconnect: (willReconnect: boolean, log: unknown) => void = () => undefined;
  onUpdate: (message: unknown) => void = () => undefined;
  onError: (error: unknown) => void = () => undefined;
  readonly sent: unknown[] = [];
  constructor(readonly up = true) {}
  connect(): Promise<void> {
    return this.up ? Promise.resolve() : Promise.reject(new Error('refused'));
  }
  async disconnect(): Promise<void> {}
  async message(data: unknown): Promise<unknown> {
    this.sent.push(data);
    return { ok: true };
  }
}

let sequence = 0;

export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  sequence++;
  return {
    alert_id: `a-${sequence}`,
    alert_type: 'sigma',
    timestamp_ns: `${1_796_040_000_000_000_000n + BigInt(sequence) * 1_000_000_000n}`,
    last_seen_ns: `${1_796_040_000_000_000_000n + BigInt(sequence) * 1_000_000_000n}`,
    severity: 3,
    severity_text: 'Warning',
    rule_name: 'User Switched to Root With su',
    message: 'su to root',
    source_type: 'syslog',
    source_id: 'syslog',
    entity_uuid: '00cd565b-0e19-52b5-9029-45d1ae8929be',
    entity_type: 'ip',
    entity_value: '203.0.113.7',
    dedup_key: 'k',
    dedup_count: 1,
    risk_score: 0.5,
    feedback: null,
    mitre_tactics: ['privilege_escalation'],
    mitre_techniques: ['T1548'],
    contributing_event_ids: [],
    details: {},
    ...overrides,
  };
}

export function makeEvent(overrides: Partial<LiveEvent> = {}): LiveEvent {
  sequence++;
  return {
    event_id: `e-${sequence}`,
    timestamp_ns: '1796040000000000000',
    observed_ns: '1796040000000000000',
    severity_id: 2,
    severity: 'Notice',
    source_type: 'syslog',
    source_id: 'syslog',
    host: 'web01',
    app: 'sshd',
    message: `line ${sequence}`,
    template_id: 1,
    template_str: 'line <*>',
    entity_refs: [],
    entities: [],
    raw_event: `line ${sequence}`,
    ...overrides,
  };
}
