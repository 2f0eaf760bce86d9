/**
 * The one error type of feed fetching and parsing. `code` says what went wrong in a word a status
 * line can show; `retryable` tells the retry loop whether trying again can help (a timeout or a
 * 503 can, a 401 or a refused address cannot).
 */
export type FeedErrorCode =
  | 'ssrf_refused'
  | 'network'
  | 'timeout'
  | 'http_status'
  | 'auth'
  | 'too_large'
  | 'bad_response'
  | 'missing_secret'
  | 'circuit_open'
  | 'file'
  | 'not_found'
  | 'aborted';

export class FeedError extends Error {
  override name = 'FeedError';
  constructor(
    readonly code: FeedErrorCode,
    message: string,
    readonly retryable = false,
    /** The HTTP status, when there was one. */
    readonly status?: number,
    /** Seconds the server asked us to wait (Retry-After), when it did. */
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}
