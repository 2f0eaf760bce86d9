/**
 * The webhook sink: POSTs each alert as Slack Block Kit, a Teams card or flat JSON.
 *
 * The URL passes the shared SSRF policy (`main/net/ssrf.ts`) when the sink is built, and every
 * connection resolves through its guarded lookup, unless the sink sets
 * `allow_private_addresses`. Redirects are not followed (a hop could lead anywhere). Messages
 * name the host only: the URL's path and query often hold the token.
 */
import { Agent, fetch } from 'undici';
import type { Alert } from '../../../main/core/alert.js';
import type { WebhookFormat } from '../../../main/config/sections/alerting.js';
import { checkUrl, guardedLookup, ssrfRefusal } from '../../../main/net/ssrf.js';
import { slackMessage } from '../format/slack.js';
import { teamsMessage } from '../format/teams.js';
import { PRODUCT } from '../format/text.js';
import { webhookJson } from '../format/webhook-json.js';
import { isRetryableStatus, retryAfterMs } from '../retry.js';
import { DeliveryError, type Sink } from './sink.js';

export interface WebhookSinkOptions {
  name: string;
  url: string;
  format: WebhookFormat;
  minSeverity: number;
  headers: Record<string, string>;
  allowPrivate: boolean;
  timeoutMs: number;
  dashboardUrl: string | null;
}

const PAYLOADS: Record<WebhookFormat, (alert: Alert, dashboardUrl: string | null) => Record<string, unknown>> = {
  json: webhookJson,
  slack: slackMessage,
  teams: teamsMessage,
};

export class WebhookSink implements Sink {
  readonly type = 'webhook';
  readonly name: string;
  readonly formatter: WebhookFormat;
  readonly minSeverity: number;
  readonly #url: URL;
  readonly #options: WebhookSinkOptions;
  readonly #agent: Agent;

  /** Throws `SsrfError` when the URL is refused. */
  constructor(options: WebhookSinkOptions) {
    this.name = options.name;
    this.formatter = options.format;
    this.minSeverity = options.minSeverity;
    this.#options = options;
    this.#url = new URL(options.url);
    checkUrl(this.#url, { allowInsecure: true, allowPrivate: options.allowPrivate });
    this.#agent = new Agent({
      connect: { timeout: options.timeoutMs, ...(options.allowPrivate ? {} : { lookup: guardedLookup() }) },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  render(alert: Alert): string {
    return JSON.stringify(PAYLOADS[this.formatter](alert, this.#options.dashboardUrl));
  }

  async send(payload: string, signal: AbortSignal): Promise<void> {
    const host = this.#url.host;
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': `${PRODUCT.product}/${PRODUCT.version}`, ...this.#options.headers },
        body: payload,
        redirect: 'manual',
        dispatcher: this.#agent,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.#options.timeoutMs)]),
      });
    } catch (error) {
      throw transportError(error, host);
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return;
    if (response.status >= 300 && response.status < 400) {
      throw new DeliveryError(`${host} answered ${response.status} (a redirect); redirects are not followed`, false);
    }
    const waitMs = retryAfterMs(response.headers.get('retry-after'), Date.now());
    throw new DeliveryError(`${host} answered ${response.status}`, isRetryableStatus(response.status), waitMs);
  }

  close(): Promise<void> {
    return this.#agent.destroy();
  }
}

function transportError(error: unknown, host: string): DeliveryError {
  const refusal = ssrfRefusal(error);
  if (refusal) return new DeliveryError(refusal.message, false);
  if (error instanceof Error && error.name === 'TimeoutError') return new DeliveryError(`${host} did not answer in time`, true);
  const detail = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return new DeliveryError(`cannot reach ${host}: ${detail}`, true);
}
