/**
 * From a new alert to the sinks' queues: route it, skip sinks above its severity, render it once
 * per sink and offer it. Synchronous and non-blocking: the alert bus calls it on the writer's
 * commit path, so all waiting happens in the queues.
 */
import type { Alert } from '../../main/core/alert.js';
import type { DeliveryQueue, SinkStats } from './delivery-queue.js';
import type { Router } from './router.js';

export interface AlertingStats {
  /** Alerts that reached at least one sink's queue (or were dropped there). */
  alerts_routed: number;
  /** Alerts that routing sent nowhere (no rule matched and `default_routing` drops, or below every sink's minimum). */
  alerts_unrouted: number;
  sinks: SinkStats[];
}

export class Dispatcher {
  readonly queues: readonly DeliveryQueue[];
  readonly #router: Router<DeliveryQueue>;
  #routed = 0;
  #unrouted = 0;

  constructor(router: Router<DeliveryQueue>, queues: readonly DeliveryQueue[]) {
    this.#router = router;
    this.queues = queues;
  }

  dispatch(alert: Alert): void {
    let offered = false;
    for (const queue of this.#router.route(alert)) {
      if (alert.severity < queue.sink.minSeverity) continue;
      offered = true;
      let payload: string;
      try {
        payload = queue.sink.render(alert);
      } catch (error) {
        queue.recordRenderFailure(error);
        continue;
      }
      queue.offer(payload);
    }
    if (offered) this.#routed++;
    else this.#unrouted++;
  }

  stats(): AlertingStats {
    return { alerts_routed: this.#routed, alerts_unrouted: this.#unrouted, sinks: this.queues.map((queue) => queue.stats()) };
  }

  /** Drain every queue in parallel, each for at most `timeoutMs`. */
  async close(timeoutMs: number): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close(timeoutMs)));
  }
}
