/**
 * The stream's server frames (API reference, WebSocket section; backend reference §11.4) in the
 * two forms the transports need: a value for nes (`socket.send(value)`, which nes wraps in its
 * `update` envelope) and JSON text for raw WebSocket clients.
 *
 * Each event or alert is converted to its wire shape and serialised at most once, however many
 * clients receive it (`StreamItem`); a raw client's batch frame is built by joining those texts.
 * nes serialises the value it is given per socket, which its public API does not let us avoid.
 */
import { alertToJson, type Alert } from '../../main/core/alert.js';
import { eventToJson } from '../../main/core/event-json.js';
import type { SeerflowEvent } from '../../main/core/event.js';

type Json = Record<string, unknown>;

/** The `status` frame's data; dropped counts are this client's, since it connected. */
export interface StreamStatus {
  events_ingested_per_sec: number;
  alerts_24h: number;
  connected_clients: number;
  dropped_events: number;
  dropped_alerts: number;
  dropped_total: number;
}

export type ServerFrame =
  | { type: 'event'; data: Json }
  | { type: 'batch'; events: Json[] }
  | { type: 'alert'; data: Json }
  | { type: 'alert_batch'; alerts: Json[] }
  | { type: 'status'; data: StreamStatus }
  | { type: 'error'; message: string };

/** An event or alert on its way to clients, with its wire form computed once, when first needed. */
export class StreamItem<T> {
  readonly value: T;
  readonly #toJson: (value: T) => Json;
  #json: Json | undefined;
  #text: string | undefined;

  constructor(value: T, toJson: (value: T) => Json) {
    this.value = value;
    this.#toJson = toJson;
  }

  get json(): Json {
    return (this.#json ??= this.#toJson(this.value));
  }

  get text(): string {
    return (this.#text ??= JSON.stringify(this.json));
  }
}

export type EventItem = StreamItem<SeerflowEvent>;
export type AlertItem = StreamItem<Alert>;

export const eventItem = (event: SeerflowEvent): EventItem => new StreamItem(event, eventToJson);
export const alertItem = (alert: Alert): AlertItem => new StreamItem(alert, alertToJson);

/** One frame for one client, built in the form its transport asks for. */
export interface OutgoingFrame {
  readonly type: ServerFrame['type'];
  value(): ServerFrame;
  text(): string;
}

function frame(type: ServerFrame['type'], value: () => ServerFrame, text?: () => string): OutgoingFrame {
  return { type, value, text: text ?? (() => JSON.stringify(value())) };
}

/** `event` for one event, `batch` for several (callers pass at least one). */
export function eventsFrame(items: readonly EventItem[]): OutgoingFrame {
  if (items.length === 1) {
    const item = items[0]!;
    return frame('event', () => ({ type: 'event', data: item.json }), () => `{"type":"event","data":${item.text}}`);
  }
  return frame(
    'batch',
    () => ({ type: 'batch', events: items.map((item) => item.json) }),
    () => `{"type":"batch","events":[${items.map((item) => item.text).join(',')}]}`,
  );
}

/** `alert` for one alert, `alert_batch` for several (callers pass at least one). */
export function alertsFrame(items: readonly AlertItem[]): OutgoingFrame {
  if (items.length === 1) {
    const item = items[0]!;
    return frame('alert', () => ({ type: 'alert', data: item.json }), () => `{"type":"alert","data":${item.text}}`);
  }
  return frame(
    'alert_batch',
    () => ({ type: 'alert_batch', alerts: items.map((item) => item.json) }),
    () => `{"type":"alert_batch","alerts":[${items.map((item) => item.text).join(',')}]}`,
  );
}

export function statusFrame(data: StreamStatus): OutgoingFrame {
  return frame('status', () => ({ type: 'status', data }));
}

export function errorFrame(message: string): OutgoingFrame {
  return frame('error', () => ({ type: 'error', message }));
}
