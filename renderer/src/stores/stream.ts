/**
 * The live stream as app state: its connection state, the latest `status` frame, and the
 * filter the screens ask for. Frames go to the alert and event stores.
 *
 * The server applies one filter to events and alerts alike, and the alert feed (Overview,
 * sidebar badge) always wants every alert; so only the event-only keys (`source`,
 * `template_ids`) are sent, by the Events screen while it filters; severity and the rest are
 * applied by each store. The filter is replayed after every reconnect (`LiveStream`).
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { LiveStream, type NesClientLike, type StreamState } from '../api/stream';
import type { ServerFrame, StreamFilter, StreamStatus } from '../api/types';
import { useAlertsStore } from './alerts';
import { useEventsStore } from './events';

export const useStreamStore = defineStore('stream', () => {
  const state = ref<StreamState>('closed');
  const status = shallowRef<StreamStatus | null>(null);
  /** Frames the server dropped for this client since it connected (backpressure). */
  const dropped = ref(0);
  const filter = shallowRef<StreamFilter>({});
  let stream: LiveStream | undefined;

  function onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'alert':
        useAlertsStore().ingest([frame.data]);
        break;
      case 'alert_batch':
        useAlertsStore().ingest(frame.alerts);
        break;
      case 'event':
        useEventsStore().enqueue([frame.data]);
        break;
      case 'batch':
        useEventsStore().enqueue(frame.events);
        break;
      case 'status':
        status.value = frame.data;
        dropped.value = frame.data.dropped_total;
        break;
      case 'error':
        break; // a refused filter: the server kept the previous one
    }
  }

  /** Connect (once) with nes clients from `makeClient`. */
  function start(makeClient: () => NesClientLike): void {
    if (stream) return;
    stream = new LiveStream(makeClient, {
      frame: onFrame,
      state: (next) => {
        state.value = next;
        if (next === 'open') useAlertsStore().resync();
      },
    });
    stream.start();
    stream.setFilter(filter.value);
  }

  /** The Events screen's server-side narrowing; `{}` = everything. */
  function setEventFilter(next: { source?: string[]; template_ids?: number[] }): void {
    const value: StreamFilter = {};
    if (next.source?.length) value.source = next.source;
    if (next.template_ids?.length) value.template_ids = next.template_ids;
    filter.value = value;
    stream?.setFilter(value);
  }

  async function stop(): Promise<void> {
    await stream?.stop();
    stream = undefined;
  }

  return { state, status, dropped, filter, start, stop, setEventFilter };
});
