import { describe, expect, it } from 'vitest';
import { Drain, type DrainOptions, tokenize, truncate } from './drain.js';
import { TemplateOptionError } from './errors.js';

/** Learn each line and keep the results, for tables of expectations. */
const learnAll = (drain: Drain, lines: readonly string[]) => lines.map((line) => drain.learn(line));

describe('Drain.learn on sshd lines (default options: depth 4, simThreshold 0.4, no masks)', () => {
  it('creates, generalises and counts templates, with params at the <*> positions', () => {
    const drain = new Drain();
    const results = learnAll(drain, [
      'Invalid user webmaster from 173.234.31.186',
      'Invalid user test9 from 52.80.34.196',
      'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186',
      'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=52.80.34.196',
      'Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2',
      'Failed password for root from 5.36.59.76 port 42393 ssh2',
      'Failed password for root from 183.62.140.253 port 33034 ssh2',
      'Received disconnect from 173.234.31.186: 11: Bye Bye [preauth]',
      'Received disconnect from 5.36.59.76: 11: Bye Bye [preauth]',
      'Connection closed by 212.47.254.145 [preauth]',
      'Invalid user 0 from 112.95.230.3',
    ]);
    expect(results).toEqual([
      { templateId: 1, change: 'created', params: [], template: 'Invalid user webmaster from 173.234.31.186' },
      { templateId: 1, change: 'changed', params: ['test9', '52.80.34.196'], template: 'Invalid user <*> from <*>' },
      {
        templateId: 2,
        change: 'created',
        params: [],
        template: 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186',
      },
      {
        templateId: 2,
        change: 'changed',
        params: ['rhost=52.80.34.196'],
        template: 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= <*>',
      },
      {
        templateId: 3,
        change: 'created',
        params: [],
        template: 'Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2',
      },
      { templateId: 4, change: 'created', params: [], template: 'Failed password for root from 5.36.59.76 port 42393 ssh2' },
      {
        templateId: 4,
        change: 'changed',
        params: ['183.62.140.253', '33034'],
        template: 'Failed password for root from <*> port <*> ssh2',
      },
      { templateId: 5, change: 'created', params: [], template: 'Received disconnect from 173.234.31.186: 11: Bye Bye [preauth]' },
      {
        templateId: 5,
        change: 'changed',
        params: ['5.36.59.76:'],
        template: 'Received disconnect from <*> 11: Bye Bye [preauth]',
      },
      { templateId: 6, change: 'created', params: [], template: 'Connection closed by 212.47.254.145 [preauth]' },
      // 3 of 5 literal tokens equal (0.6 ≥ 0.4) and nothing new varies
      { templateId: 1, change: 'none', params: ['0', '112.95.230.3'], template: 'Invalid user <*> from <*>' },
    ]);
    expect(drain.clusterCount).toBe(6);
    expect(drain.templates().map((t) => [t.templateId, t.count])).toEqual([
      [1, 3],
      [2, 2],
      [3, 1],
      [4, 2],
      [5, 2],
      [6, 1],
    ]);
  });

  it('keeps lines apart when fewer tokens agree than simThreshold asks', () => {
    // 'Invalid user webmaster from …' vs 'Invalid user test9 from …' agree on 3 of 5 tokens: 0.6
    const strict = new Drain({ simThreshold: 0.7 });
    const results = learnAll(strict, ['Invalid user webmaster from 173.234.31.186', 'Invalid user test9 from 52.80.34.196']);
    expect(results.map((r) => [r.templateId, r.change])).toEqual([
      [1, 'created'],
      [2, 'created'],
    ]);
  });

  it('routes a first token holding a digit down the <*> branch, so such lines can merge', () => {
    const drain = new Drain();
    learnAll(drain, ['user1 logged in', 'user2 logged in']);
    expect(drain.templates()).toEqual([{ templateId: 1, template: '<*> logged in', count: 2 }]);
  });

  it('gives -1 and an empty template to an empty or blank message, and learns nothing', () => {
    const drain = new Drain();
    expect(drain.learn('')).toEqual({ templateId: -1, template: '', params: [], change: 'none' });
    expect(drain.learn(' \t\n ')).toEqual({ templateId: -1, template: '', params: [], change: 'none' });
    expect(drain.clusterCount).toBe(0);
    expect(drain.learn('next').templateId).toBe(1);
  });

  it('splits on any run of white space', () => {
    const drain = new Drain();
    expect(drain.learn('  a\tb \n c  ').template).toBe('a b c');
    expect(tokenize(' x\u00a0 y ')).toEqual(['x', 'y']);
  });

  it('cuts messages to maxMessageLength before tokenising', () => {
    const drain = new Drain({ maxMessageLength: 10 });
    expect(drain.learn('aaaa bbbb cccc').template).toBe('aaaa bbbb');
    expect(truncate('ab\u{1F600}', 3)).toBe('ab'); // never half a surrogate pair
  });

  it('sends new first tokens to <*> once a node has maxChildren − 1 literal children', () => {
    const drain = new Drain({ maxChildren: 3 });
    learnAll(drain, ['a x y', 'b x y', 'c x y', 'd x y']);
    // a and b get their own branches; c takes the last slot as <*>, where d then joins it
    expect(drain.templates().map((t) => t.template)).toEqual(['a x y', 'b x y', '<*> x y']);
  });
});

describe('Drain LRU eviction (maxClusters)', () => {
  it('evicts the least recently learned cluster and never reuses its id', () => {
    const drain = new Drain({ maxClusters: 2 });
    learnAll(drain, ['alpha one', 'beta two three', 'alpha one', 'gamma four five six']);
    // beta (2) was least recently learned when gamma (3) arrived
    expect(drain.templates().map((t) => t.templateId)).toEqual([1, 3]);
    const again = drain.learn('beta two three');
    expect(again).toMatchObject({ templateId: 4, change: 'created' });
    expect(drain.templates().map((t) => t.templateId)).toEqual([3, 4]);
  });

  it('does not refresh a cluster that was only probed as a candidate', () => {
    const drain = new Drain({ maxClusters: 3, simThreshold: 0.7 });
    // 1 and 3 share a leaf (same length and first token) but stay apart at 0.7
    learnAll(drain, ['disk sda full on host', 'completely different line', 'disk error code seven reported']);
    drain.learn('disk error code seven reported'); // compares against 1, learns into 3
    drain.learn('brand new message');
    // 1 is still the least recently learned: a probe that refreshed it would have evicted 2
    expect(drain.templates().map((t) => t.templateId)).toEqual([2, 3, 4]);
  });

  it('does not refresh a cluster on match()', () => {
    const drain = new Drain({ maxClusters: 2 });
    learnAll(drain, ['alpha one', 'beta two three']);
    expect(drain.match('alpha one')?.templateId).toBe(1);
    drain.learn('gamma four five six');
    expect(drain.templates().map((t) => t.templateId)).toEqual([2, 3]);
  });
});

describe('Drain.match', () => {
  it('finds the template covering a message without changing anything', () => {
    const drain = new Drain();
    learnAll(drain, ['Invalid user webmaster from 173.234.31.186', 'Invalid user test9 from 52.80.34.196']);
    const before = drain.snapshot();

    expect(drain.match('Invalid user admin from 10.0.0.1')).toEqual({
      templateId: 1,
      template: 'Invalid user <*> from <*>',
      params: ['admin', '10.0.0.1'],
    });
    // learn() would generalise template 1 for this line; match() only answers
    expect(drain.match('Invalid account admin from 10.0.0.1')).toBeNull();
    expect(drain.match('something never seen')).toBeNull();
    expect(drain.match('')).toEqual({ templateId: -1, template: '', params: [] });
    expect(drain.snapshot()).toEqual(before);
  });

  it('searches every cluster of the same length with the fallback and always strategies', () => {
    const drain = new Drain();
    learnAll(drain, ['user1 x', 'user2 x', 'bob y']); // '<*> x' under the <*> branch, 'bob y' under 'bob'
    expect(drain.match('bob x')).toBeNull(); // the tree leads to 'bob y' only
    expect(drain.match('bob x', 'fallback')?.template).toBe('<*> x');
    expect(drain.match('bob x', 'always')?.template).toBe('<*> x');
  });
});

describe('Drain options', () => {
  it.each([
    [{ depth: 2 }, /depth: must be an integer ≥ 3, got 2/],
    [{ depth: 4.5 }, /depth/],
    [{ simThreshold: 0 }, /simThreshold: must be in \(0, 1\], got 0/],
    [{ simThreshold: 1.5 }, /simThreshold/],
    [{ simThreshold: Number.NaN }, /simThreshold/],
    [{ maxChildren: 1 }, /maxChildren: must be an integer ≥ 2/],
    [{ maxClusters: 0 }, /maxClusters: must be an integer ≥ 1/],
    [{ maxMessageLength: 0 }, /maxMessageLength/],
    [{ simTh: 0.5 }, /simTh: is not an option; known: depth, simThreshold/],
  ])('rejects %o', (options, message) => {
    const build = () => new Drain(options as Partial<DrainOptions>);
    expect(build).toThrow(TemplateOptionError);
    expect(build).toThrow(message);
  });

  it('fills defaults and accepts the edges of each range', () => {
    expect(new Drain().options).toEqual({ depth: 4, simThreshold: 0.4, maxChildren: 100, maxClusters: 1000, maxMessageLength: 8192, firstTemplateId: 1 });
    expect(() => new Drain({ depth: 3, simThreshold: 1, maxChildren: 2, maxClusters: 1, maxMessageLength: 1 })).not.toThrow();
  });

  it('hands out ids from firstTemplateId on: one block per appliance in a shared store', () => {
    const drain = new Drain({ firstTemplateId: 2 ** 24 + 1 });
    learnAll(drain, ['open file a', 'user root logged in']);
    expect(drain.templates().map((t) => t.templateId).sort()).toEqual([2 ** 24 + 1, 2 ** 24 + 2]);
    expect(() => new Drain({ firstTemplateId: 0 })).toThrow(/firstTemplateId/);
  });

  it('routes by token count alone at depth 3', () => {
    const drain = new Drain({ depth: 3 });
    learnAll(drain, ['open file a', 'close file a']);
    expect(drain.templates().map((t) => t.template)).toEqual(['<*> file a']);
  });
});
