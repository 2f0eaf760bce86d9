import { describe, expect, it } from 'vitest';
import { AcceptedRequests, requestDigest } from './accepted-requests.js';

const SECOND = 1_000_000_000n;

/** A clock the test moves, and a submit that counts its calls and commits when told. */
function setup(limits = { maxEntries: 3, windowNs: 60n * SECOND }) {
  let now = 1_000n * SECOND;
  const commits: Array<() => void> = [];
  let submitted = 0;
  const accepted = new AcceptedRequests(() => now, limits);
  const submit = () => {
    submitted++;
    return new Promise<void>((resolve) => commits.push(resolve));
  };
  return {
    accepted,
    submit,
    submitted: () => submitted,
    advance: (ns: bigint) => (now += ns),
    /** Commit everything submitted so far and let the memory hear of it. */
    commitAll: async () => {
      for (const commit of commits.splice(0)) commit();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('requestDigest', () => {
  it('depends on the exact bytes and on the media type', () => {
    const body = Buffer.from('{"resourceLogs":[]}');
    expect(requestDigest('application/json', body)).toBe(requestDigest('application/json', Buffer.from(body)));
    expect(requestDigest('application/json', body)).not.toBe(requestDigest('application/json', Buffer.from('{"resourceLogs": []}')));
    expect(requestDigest('application/json', body)).not.toBe(requestDigest('application/x-protobuf', body));
  });
});

describe('AcceptedRequests', () => {
  it('makes a resend wait on the first commit, then answers it at once without submitting', async () => {
    const { accepted, submit, submitted, commitAll } = setup();
    const first = accepted.submitOnce('a', submit);
    const resendWhileWaiting = accepted.submitOnce('a', submit);
    expect(resendWhileWaiting).toBe(first);
    await commitAll();
    await expect(accepted.submitOnce('a', submit)).resolves.toBeUndefined();
    expect(submitted()).toBe(1);
    expect(accepted.deduplicated).toBe(2);
  });

  it('does not remember a refused request', () => {
    const { accepted, submit, submitted } = setup();
    expect(accepted.submitOnce('a', () => undefined)).toBeUndefined();
    expect(accepted.size).toBe(0);
    void accepted.submitOnce('a', submit);
    expect(submitted()).toBe(1);
    expect(accepted.deduplicated).toBe(0);
  });

  it('forgets a committed request once the window has passed since its commit', async () => {
    const { accepted, submit, submitted, advance, commitAll } = setup();
    void accepted.submitOnce('a', submit);
    advance(300n * SECOND); // a slow commit: the window counts from the commit, not the request
    await commitAll();
    advance(59n * SECOND);
    void accepted.submitOnce('a', submit);
    expect(submitted()).toBe(1);
    advance(1n * SECOND);
    void accepted.submitOnce('a', submit);
    expect(submitted()).toBe(2);
  });

  it('never remembers more than maxEntries, evicting committed requests before waiting ones', async () => {
    const { accepted, submit, submitted, commitAll } = setup();
    void accepted.submitOnce('a', submit);
    void accepted.submitOnce('b', submit);
    await commitAll();
    void accepted.submitOnce('c', submit);
    void accepted.submitOnce('d', submit); // over the cap: 'a', the oldest committed, goes
    expect(accepted.size).toBe(3);
    void accepted.submitOnce('e', submit); // then 'b'
    void accepted.submitOnce('f', submit); // only waiting ones left: 'c', the oldest, goes
    expect(accepted.size).toBe(3);
    expect(submitted()).toBe(6);

    void accepted.submitOnce('d', submit);
    void accepted.submitOnce('e', submit);
    expect(submitted()).toBe(6);
    for (const evicted of ['a', 'b', 'c']) void accepted.submitOnce(evicted, submit);
    expect(submitted()).toBe(9);
    await commitAll();
    expect(accepted.size).toBe(3);
  });

  it('refuses impossible limits at construction', () => {
    expect(() => new AcceptedRequests(() => 0n, { maxEntries: 0, windowNs: SECOND })).toThrow(/maxEntries >= 1/);
  });
});
