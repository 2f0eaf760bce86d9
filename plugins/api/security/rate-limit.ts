/**
 * Per-family request limits (reference §11.1): each family (`list`, `detail`, …) allows N
 * requests per window per client key. Counters live in process memory, or in Redis when a URL is
 * given, so that every instance using that Redis counts against the same limit.
 *
 * Redis may come and go at run time: while it is unreachable (or slow), each family answers from
 * an in-memory insurance limiter with the same limit, so the appliance still limits, per instance,
 * and `health()` says so. Windows are fixed and open on a key's first request
 * (rate-limiter-flexible's semantics).
 *
 * Leaves out: which address a request comes from (client-address.ts) and the HTTP answer
 * (index.ts).
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SeerflowConfig } from '../../../main/config/types.js';
import type { ComponentHealth } from '../../../main/core/health.js';
import { rateFamilies, type RateFamily } from './families.js';

const UNIT_SECONDS = { second: 1, minute: 60, hour: 3600, day: 86_400 } as const;
type RateUnit = keyof typeof UNIT_SECONDS;
const SPEC = /^(\d+)\s*\/\s*(second|minute|hour|day)$/;

/** Redis answers slower than this count as a failure and go to the insurance limiter. */
const REDIS_COMMAND_TIMEOUT_MS = 1000;
const REDIS_CONNECT_TIMEOUT_MS = 2000;
/** Reconnect backoff: 0.5 s, 1 s, … capped at 5 s, forever. */
const redisRetryDelay = (attempt: number) => Math.min(attempt * 500, 5000);

/** A limit parsed from the config's limits-string syntax, `N/second|minute|hour|day`. */
export interface RateSpec {
  /** Requests allowed per window. */
  points: number;
  /** Window length, seconds. */
  durationS: number;
  /** As configured, e.g. `60/minute`. */
  text: string;
  /** For people, e.g. `60 per 1 minute`. */
  label: string;
}

/**
 * Parse `N/second|minute|hour|day` (spaces around `/` allowed).
 * @throws Error naming the text when it does not parse or allows no request at all.
 */
export function parseRateSpec(text: string): RateSpec {
  const match = SPEC.exec(text.trim());
  if (!match) throw new Error(`invalid rate limit '${text}': expected N/second|minute|hour|day, e.g. 60/minute`);
  const points = Number(match[1]);
  const unit = match[2] as RateUnit;
  if (!Number.isSafeInteger(points) || points < 1) {
    throw new Error(`invalid rate limit '${text}': allow at least 1 request per ${unit}`);
  }
  return { points, durationS: UNIT_SECONDS[unit], text, label: `${points} per 1 ${unit}` };
}

const FAMILY_KEYS = {
  list: 'api_list_rate_limit',
  detail: 'api_detail_rate_limit',
  coverage: 'api_coverage_rate_limit',
  upload: 'api_upload_rate_limit',
} as const satisfies Record<RateFamily, keyof SeerflowConfig>;

/**
 * Each family's limit from its `api_*_rate_limit` key.
 * @throws Error starting with `context` and naming the key whose value does not parse.
 */
export function configuredRateSpecs(
  config: Pick<SeerflowConfig, (typeof FAMILY_KEYS)[RateFamily]>,
  context: string,
): Record<RateFamily, RateSpec> {
  const specs = {} as Record<RateFamily, RateSpec>;
  for (const family of rateFamilies) {
    const key = FAMILY_KEYS[family];
    try {
      specs[family] = parseRateSpec(config[key]);
    } catch (error) {
      throw new Error(`${context}: ${key}: ${(error as Error).message}`);
    }
  }
  return specs;
}

export type RateDecision =
  | { allowed: true; remaining: number }
  | { allowed: false; remaining: 0; retryAfterS: number; message: string };

export type RateStoreEvent = { store: 'redis'; state: 'up' } | { store: 'redis'; state: 'down'; detail: string };

export interface RateLimitsOptions {
  specs: Record<RateFamily, RateSpec>;
  /** Absent or null: in-memory counters. */
  redisUrl?: string | null;
  /** Prefix of every Redis key; instances that share counters must share it. Default `seerflow:rl`. */
  keyPrefix?: string;
  /** Told when Redis becomes reachable or unreachable (for the log). */
  onStoreChange?: (event: RateStoreEvent) => void;
}

export class RateLimits {
  readonly #specs: Record<RateFamily, RateSpec>;
  readonly #limiters = new Map<RateFamily, RateLimiterAbstract>();
  readonly #redis: Redis | undefined;
  readonly #onStoreChange: (event: RateStoreEvent) => void;
  #redisError: string | undefined;
  #redisDown = false;

  constructor({ specs, redisUrl, keyPrefix = 'seerflow:rl', onStoreChange = () => {} }: RateLimitsOptions) {
    this.#specs = specs;
    this.#onStoreChange = onStoreChange;
    if (redisUrl) this.#redis = this.#openRedis(redisUrl);
    for (const [family, spec] of Object.entries(specs) as Array<[RateFamily, RateSpec]>) {
      const memory = new RateLimiterMemory({ points: spec.points, duration: spec.durationS });
      this.#limiters.set(
        family,
        this.#redis
          ? new RateLimiterRedis({
              storeClient: this.#redis,
              points: spec.points,
              duration: spec.durationS,
              keyPrefix: `${keyPrefix}:${family}`,
              rejectIfRedisNotReady: true, // straight to the insurance limiter, no wait
              insuranceLimiter: memory,
            })
          : memory,
      );
    }
  }

  /** The limit of a family, as parsed. */
  spec(family: RateFamily): RateSpec {
    return this.#specs[family];
  }

  /** Count one request of `key` (a client address) against `family`'s limit. */
  async consume(family: RateFamily, key: string): Promise<RateDecision> {
    const limiter = this.#limiters.get(family);
    if (!limiter) throw new Error(`unknown rate-limit family '${family}'`);
    try {
      const result = await limiter.consume(key);
      return { allowed: true, remaining: result.remainingPoints };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection; // insurance failed too: a bug, not a limit
      return {
        allowed: false,
        remaining: 0,
        retryAfterS: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
        message: `Rate limit exceeded: ${this.#specs[family].label}`,
      };
    }
  }

  /** Connect to Redis, if configured. Never throws: an unreachable Redis degrades, it does not stop. */
  async connect(): Promise<void> {
    if (!this.#redis || this.#redis.status !== 'wait') return;
    await this.#redis.connect().catch(() => {}); // the 'error' listener has recorded why
  }

  /** Release the Redis connection; in-memory counters need nothing. */
  close(): void {
    this.#redis?.disconnect();
  }

  /** For `/health`: degraded while configured Redis counters are out of reach. */
  health(): ComponentHealth {
    if (!this.#redis) return { status: 'ok', detail: 'in-memory counters (per instance)' };
    const status = this.#redis.status;
    if (status === 'ready') return { status: 'ok', detail: 'counters shared through redis' };
    if (status === 'wait' || (status === 'connecting' && !this.#redisDown)) {
      return { status: 'starting', detail: 'connecting to redis' };
    }
    const reason = this.#redisError ?? status;
    return { status: 'degraded', detail: `redis unreachable (${reason}); counting per instance until it returns` };
  }

  #openRedis(url: string): Redis {
    const redis = new Redis(url, {
      lazyConnect: true, // connect() at server start, not at registration
      enableOfflineQueue: false, // fail fast while disconnected; the insurance limiter answers
      maxRetriesPerRequest: 1,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
      retryStrategy: redisRetryDelay,
    });
    // Without an 'error' listener ioredis prints every failed reconnect to stderr.
    redis.on('error', (error: Error) => {
      this.#redisError = error.message;
      if (this.#redisDown) return;
      this.#redisDown = true;
      this.#onStoreChange({ store: 'redis', state: 'down', detail: error.message });
    });
    redis.on('ready', () => {
      this.#redisError = undefined;
      this.#redisDown = false;
      this.#onStoreChange({ store: 'redis', state: 'up' });
    });
    return redis;
  }
}
