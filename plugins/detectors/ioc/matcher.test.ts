import { describe, expect, it } from 'vitest';
import { extractEntities } from '../../../main/core/entity/extract.js';
import type { Fields, SeerflowEvent } from '../../../main/core/event.js';
import { makeEvent } from '../../../test/support/make-event.js';
import { ALL_TYPES, IndicatorSet, type FeedPolicy } from './indicator-set.js';
import { detectIndicator, type IndicatorType } from './indicator.js';
import { Matcher, type MatcherOptions } from './matcher.js';

const NOW_S = 1_796_032_800;
const policy: FeedPolicy = { confidenceFloor: 0, maxIndicators: 1000, graceS: 0, enabledTypes: ALL_TYPES };
const options: MatcherOptions = { enabledTypes: ALL_TYPES, urlFields: ['url', 'url.full'], graceS: 0, maxMatches: 32 };

function setWith(feeds: Array<{ values: string[]; confidence?: number; validUntilS?: number }>): IndicatorSet {
  const set = new IndicatorSet({ fpr: 0.001, minCapacity: 100, growth: 1.25 });
  feeds.forEach((feed, index) => {
    const observables = feed.values.map((value) => detectIndicator(value)!);
    set.applyStix(index, [{ fp: index + 1, modifiedS: 1, revoked: false, validUntilS: feed.validUntilS ?? 0, confidence: feed.confidence ?? 50, phases: [], observables }], NOW_S, policy);
  });
  return set;
}

function event(message: string, fields: Fields = {}, timestampS = NOW_S): SeerflowEvent {
  return makeEvent({ message, fields, entities: extractEntities({ message, fields }), timestampNs: BigInt(timestampS) * 1_000_000_000n });
}

function found(matcher: Matcher, e: SeerflowEvent): Array<[IndicatorType, string, string]> {
  return matcher.match(e).map((m) => [m.type, m.indicator, m.observed]);
}

describe('Matcher', () => {
  it('matches addresses exactly and inside listed CIDRs, IPv4 and IPv6', () => {
    const set = setWith([{ values: ['203.0.113.7', '10.0.0.0/8', '198.51.100.128/25', '2001:db8:bad::/48', '2001:db8::1'] }]);
    const matcher = new Matcher(set.table, options);
    expect(found(matcher, event('probe from 203.0.113.7'))).toEqual([['ipv4', '203.0.113.7', '203.0.113.7']]);
    expect(found(matcher, event('probe from 203.0.113.8'))).toEqual([]);
    expect(found(matcher, event('from 10.200.3.4 and 198.51.100.200 and 198.51.100.127'))).toEqual([
      ['ipv4', '10.0.0.0/8', '10.200.3.4'],
      ['ipv4', '198.51.100.128/25', '198.51.100.200'],
    ]);
    expect(found(matcher, event('from 2001:DB8:BAD:1::9 to 2001:db8::1'))).toEqual([
      ['ipv6', '2001:0db8:0bad:0000:0000:0000:0000:0000/48', '2001:0db8:0bad:0001:0000:0000:0000:0009'],
      ['ipv6', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:0db8:0000:0000:0000:0000:0000:0001'],
    ]);
  });

  it('matches domains case-insensitively, and subdomains of a listed domain', () => {
    const set = setWith([{ values: ['evil.example', 'Tracker.Example.NET'] }]);
    const matcher = new Matcher(set.table, options);
    expect(found(matcher, event('QUERY A.B.EVIL.EXAMPLE FROM 192.0.2.1'))).toEqual([['domain', 'evil.example', 'a.b.evil.example']]);
    expect(found(matcher, event('query', { 'dns.question.name': 'Www.Evil.Example.' }))).toEqual([['domain', 'evil.example', 'www.evil.example']]);
    expect(found(matcher, event('resolved tracker.example.net'))).toEqual([['domain', 'tracker.example.net', 'tracker.example.net']]);
    expect(found(matcher, event('resolved notevil.example and example.net'))).toEqual([]);
    // A host entity with a dot (Sysmon DestinationHostname) is a name too.
    expect(found(matcher, event('connect', { DestinationHostname: 'c2.evil.example' }))).toEqual([['domain', 'evil.example', 'c2.evil.example']]);
  });

  it('matches hashes by algorithm', () => {
    const sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const set = setWith([{ values: [sha256, 'd41d8cd98f00b204e9800998ecf8427e'] }]);
    const matcher = new Matcher(set.table, options);
    expect(found(matcher, event('process created', { Hashes: `MD5=D41D8CD98F00B204E9800998ECF8427E,SHA256=${sha256.toUpperCase()}` }))).toEqual([
      ['md5', 'd41d8cd98f00b204e9800998ecf8427e', 'md5:d41d8cd98f00b204e9800998ecf8427e'],
      ['sha256', sha256, `sha256:${sha256}`],
    ]);
  });

  it('matches normalised URLs from fields and from the message, with or without their query', () => {
    const set = setWith([{ values: ['http://evil.example/payload.exe', 'https://bad.example/login?id=7'] }]);
    const matcher = new Matcher(set.table, options);
    expect(found(matcher, event('GET', { url: 'HTTP://EVIL.example:80/a/../payload.exe?cache=1#x' }))).toEqual([
      ['url', 'http://evil.example/payload.exe', 'HTTP://EVIL.example:80/a/../payload.exe?cache=1#x'],
    ]);
    expect(found(matcher, event('user clicked https://bad.example/login?id=7, then left'))).toEqual([
      ['url', 'https://bad.example/login?id=7', 'https://bad.example/login?id=7'],
    ]);
    expect(found(matcher, event('user clicked https://bad.example/login?id=8'))).toEqual([]);
  });

  it('matches the host of a URL as a domain', () => {
    const set = setWith([{ values: ['evil.example'] }]);
    const matcher = new Matcher(set.table, options);
    const e = event('proxy', { 'url.full': 'https://cdn.evil.example/x.js' });
    expect(found(matcher, e)).toEqual([['domain', 'evil.example', 'cdn.evil.example']]);
  });

  it('reports each feed once, most confident first, and drops indicators expired at the event time', () => {
    const set = setWith([
      { values: ['203.0.113.7'], confidence: 40 },
      { values: ['203.0.113.7'], confidence: 90 },
      { values: ['203.0.113.7'], confidence: 95, validUntilS: NOW_S + 5 },
    ]);
    const matcher = new Matcher(set.table, options);
    const [match] = matcher.match(event('probe from 203.0.113.7', {}, NOW_S + 10));
    expect(match?.sources).toEqual([
      { feed: 1, confidence: 90, phases: 0 },
      { feed: 0, confidence: 40, phases: 0 },
    ]);
    expect(match?.entity).toMatchObject({ type: 'ip', value: '203.0.113.7' });
    const early = matcher.match(event('probe from 203.0.113.7', {}, NOW_S));
    expect(early[0]?.sources[0]).toEqual({ feed: 2, confidence: 95, phases: 0 });
  });

  it('skips types it is not told to match, and caps matches per event', () => {
    const set = setWith([{ values: ['203.0.113.1', '203.0.113.2', '203.0.113.3', 'evil.example'] }]);
    expect(found(new Matcher(set.table, { ...options, enabledTypes: new Set(['domain']) }), event('203.0.113.1 evil.example'))).toEqual([
      ['domain', 'evil.example', 'evil.example'],
    ]);
    expect(new Matcher(set.table, { ...options, maxMatches: 2 }).match(event('203.0.113.1 203.0.113.2 203.0.113.3'))).toHaveLength(2);
  });
});
