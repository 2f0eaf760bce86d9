import { describe, expect, it } from 'vitest';
import { TemplateOptionError, TemplateStateError } from './errors.js';
import { DEFAULT_MASKS } from './masking.js';
import { TEMPLATE_MINER_DEFAULTS, TemplateMiner, type TemplateMinerState } from './template-miner.js';

const SSHD = [
  'Failed password for invalid user admin from 183.62.140.253 port 33034 ssh2',
  'Failed password for invalid user oracle from 5.36.59.76 port 42393 ssh2',
  'Accepted password for fztu from 119.137.62.142 port 49116 ssh2',
  'pam_unix(sshd:session): session opened for user fztu by (uid=0)',
  'Received disconnect from 119.137.62.142: 11: disconnected by user',
  'Connection closed by 139.59.209.18 [preauth]',
  'Connection closed by 2001:db8::17 [preauth]',
  'pam_unix(sshd:session): session closed for user fztu',
];

/** Through JSON, as a store would keep it. */
const roundTrip = (state: TemplateMinerState): unknown => JSON.parse(JSON.stringify(state));

describe('TemplateMiner.learn (default masks)', () => {
  it('masks before mining, so params are masked tokens', () => {
    const miner = new TemplateMiner();
    const results = SSHD.map((line) => miner.learn(line));
    expect(results.map((r) => [r.templateId, r.change, r.template, r.params])).toEqual([
      [1, 'created', 'Failed password for invalid user admin from <IP> port <NUM> ssh2', []],
      [1, 'changed', 'Failed password for invalid user <*> from <IP> port <NUM> ssh2', ['oracle']],
      [2, 'created', 'Accepted password for fztu from <IP> port <NUM> ssh2', []],
      [3, 'created', 'pam_unix(sshd:session): session opened for user fztu by (uid=<NUM>)', []],
      [4, 'created', 'Received disconnect from <IP>: <NUM>: disconnected by user', []],
      [5, 'created', 'Connection closed by <IP> [preauth]', []],
      [5, 'none', 'Connection closed by <IP> [preauth]', []],
      // Same first token as template 3 but 6 tokens, not 9: its own branch
      [6, 'created', 'pam_unix(sshd:session): session closed for user fztu', []],
    ]);
    expect(miner.clusterCount).toBe(6);
    expect(miner.templates()).toEqual([
      { templateId: 1, template: 'Failed password for invalid user <*> from <IP> port <NUM> ssh2', count: 2 },
      { templateId: 2, template: 'Accepted password for fztu from <IP> port <NUM> ssh2', count: 1 },
      { templateId: 3, template: 'pam_unix(sshd:session): session opened for user fztu by (uid=<NUM>)', count: 1 },
      { templateId: 4, template: 'Received disconnect from <IP>: <NUM>: disconnected by user', count: 1 },
      { templateId: 5, template: 'Connection closed by <IP> [preauth]', count: 2 },
      { templateId: 6, template: 'pam_unix(sshd:session): session closed for user fztu', count: 1 },
    ]);
  });

  it('gives -1 to an empty message and to one that is only white space', () => {
    const miner = new TemplateMiner();
    expect(miner.learn('   ')).toEqual({ templateId: -1, template: '', params: [], change: 'none' });
  });

  it('cuts the raw message to maxMessageLength before masking', () => {
    const miner = new TemplateMiner({ maxMessageLength: 12 });
    expect(miner.learn('port 22 from 10.0.0.1').template).toBe('port <NUM> from');
  });

  it('mines with only the configured masks', () => {
    const miner = new TemplateMiner({ masks: [{ pattern: '(\\d+\\.){3}\\d+', replacement: '<*>' }] });
    expect(miner.learn('Failed password for root from 5.36.59.76 port 42393 ssh2').template).toBe(
      'Failed password for root from <*> port 42393 ssh2',
    );
  });

  it('matches without learning', () => {
    const miner = new TemplateMiner();
    miner.learn('Connection closed by 139.59.209.18 [preauth]');
    const state = miner.toState();
    expect(miner.match('Connection closed by 10.9.8.7 [preauth]')).toEqual({
      templateId: 1,
      template: 'Connection closed by <IP> [preauth]',
      params: [],
    });
    expect(miner.match('Connection reset by 10.9.8.7 [preauth]')).toBeNull();
    expect(miner.toState()).toEqual(state);
  });
});

describe('TemplateMiner options', () => {
  it('exports its defaults', () => {
    expect(TEMPLATE_MINER_DEFAULTS).toEqual({
      depth: 4,
      simThreshold: 0.4,
      maxChildren: 100,
      maxClusters: 1000,
      maxMessageLength: 8192,
      firstTemplateId: 1,
      masks: DEFAULT_MASKS,
    });
    expect(new TemplateMiner().options).toEqual(TEMPLATE_MINER_DEFAULTS);
  });

  it('rejects bad options and bad masks with the option named', () => {
    expect(() => new TemplateMiner({ depth: 1 })).toThrow(/option depth: must be an integer ≥ 3, got 1/);
    expect(() => new TemplateMiner({ simThreshold: 0 })).toThrow(TemplateOptionError);
    expect(() => new TemplateMiner({ masks: [{ pattern: '[', replacement: '' }] })).toThrow(/masks\[0\]\.pattern/);
  });
});

describe('TemplateMiner state', () => {
  it('is plain versioned JSON', () => {
    const miner = new TemplateMiner();
    SSHD.slice(0, 3).forEach((line) => miner.learn(line));
    const state = miner.toState();
    expect(roundTrip(state)).toEqual(state);
    expect(Object.getPrototypeOf(state)).toBe(Object.prototype);
    expect(state).toEqual({
      version: 1,
      depth: 4,
      nextTemplateId: 3,
      clusters: [
        { templateId: 1, template: 'Failed password for invalid user <*> from <IP> port <NUM> ssh2', count: 2, path: ['Failed'] },
        { templateId: 2, template: 'Accepted password for fztu from <IP> port <NUM> ssh2', count: 1, path: ['Accepted'] },
      ],
    });
  });

  it('keeps template ids, counts and the next id across a restart', () => {
    const first = new TemplateMiner();
    SSHD.forEach((line) => first.learn(line));
    const restored = TemplateMiner.fromState(roundTrip(first.toState()));

    expect(restored.templates()).toEqual(first.templates());
    expect(restored.toState()).toEqual(first.toState());
    const later = [
      'Failed password for invalid user test from 1.2.3.4 port 22 ssh2',
      'Connection closed by 8.8.8.8 [preauth]',
      'Server listening on 0.0.0.0 port 22.',
    ];
    expect(later.map((line) => restored.learn(line))).toEqual(later.map((line) => first.learn(line)));
    expect(restored.learn('Disconnected from user fztu')).toMatchObject({ templateId: 8, change: 'created' });
  });

  it('keeps recency, so eviction after a restart picks the same cluster', () => {
    const options = { maxClusters: 3 };
    const first = new TemplateMiner(options);
    ['alpha one', 'beta two three', 'gamma four five six', 'alpha one'].forEach((line) => first.learn(line));
    const restored = TemplateMiner.fromState(roundTrip(first.toState()), options);
    first.learn('delta');
    restored.learn('delta');
    // beta (2) was least recently learned in both
    expect(restored.templates().map((t) => t.templateId)).toEqual([1, 3, 4]);
    expect(restored.templates()).toEqual(first.templates());
  });

  it('re-routes the clusters when restored with another depth', () => {
    const first = new TemplateMiner({ depth: 4 });
    SSHD.forEach((line) => first.learn(line));
    const deeper = TemplateMiner.fromState(roundTrip(first.toState()), { depth: 6 });
    expect(deeper.templates()).toEqual(first.templates());
    expect(deeper.toState().clusters[0]?.path).toEqual(['Failed', 'password', 'for']);
    expect(deeper.learn('Failed password for invalid user x from 1.2.3.4 port 2 ssh2')).toMatchObject({ templateId: 1, change: 'none' });
  });

  it('keeps only the most recent clusters when restored with a smaller maxClusters', () => {
    const first = new TemplateMiner();
    SSHD.forEach((line) => first.learn(line));
    const small = TemplateMiner.fromState(roundTrip(first.toState()), { maxClusters: 2 });
    expect(small.templates().map((t) => t.templateId)).toEqual([5, 6]);
  });

  it('rejects an unknown version', () => {
    const attempt = () => TemplateMiner.fromState({ version: 2, depth: 4, nextTemplateId: 1, clusters: [] });
    expect(attempt).toThrow(TemplateStateError);
    expect(attempt).toThrow('Cannot restore template miner state (version): unsupported version 2; this build reads version 1');
    try {
      attempt();
    } catch (error) {
      expect((error as TemplateStateError).code).toBe('TEMPLATE_STATE_VERSION');
    }
  });

  it.each([
    [null, /\(state\): must be an object/],
    [{ version: 1, depth: 4, nextTemplateId: 2 }, /\(clusters\): must be an array/],
    [
      { version: 1, depth: 4, nextTemplateId: 2, clusters: [{ templateId: 1, template: 7, count: 1, path: [] }] },
      /\(clusters\[0\]\.template\): must be a string/,
    ],
    [
      { version: 1, depth: 4, nextTemplateId: 2, clusters: [{ templateId: 1, template: 'a  b', count: 1, path: ['a'] }] },
      /\(clusters\[0\]\): template must be non-empty tokens/,
    ],
    [
      { version: 1, depth: 4, nextTemplateId: 2, clusters: [{ templateId: 1, template: 'a b', count: 1, path: ['c'] }] },
      /\(clusters\[0\]\): path key 0 "c" is neither the token nor <\*>/,
    ],
    [
      {
        version: 1,
        depth: 4,
        nextTemplateId: 3,
        clusters: [
          { templateId: 2, template: 'a b', count: 1, path: ['a'] },
          { templateId: 2, template: 'c d', count: 1, path: ['c'] },
        ],
      },
      /\(clusters\[1\]\): templateId 2 appears twice/,
    ],
    [
      { version: 1, depth: 4, nextTemplateId: 2, clusters: [{ templateId: 5, template: 'a b', count: 1, path: ['a'] }] },
      /\(nextTemplateId\): 2 must be an integer above every templateId \(5\)/,
    ],
  ])('rejects a malformed state, naming the field: %j', (state, message) => {
    expect(() => TemplateMiner.fromState(state)).toThrow(message);
  });
});
