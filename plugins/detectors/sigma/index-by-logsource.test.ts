import { describe, expect, it } from 'vitest';
import { LogsourceIndex, MAX_CACHED_LOGSOURCES, logsourceMatches } from './index-by-logsource.js';

const ls = (product: string, category: string, service: string) => ({ product, category, service });

describe('logsourceMatches', () => {
  it('requires each non-empty rule field', () => {
    expect(logsourceMatches({ product: 'windows' }, ls('windows', 'process_creation', 'sysmon'))).toBe(true);
    expect(logsourceMatches({ product: 'windows', service: 'security' }, ls('windows', 'process_creation', 'sysmon'))).toBe(false);
    expect(logsourceMatches({}, ls('', '', ''))).toBe(true);
    expect(logsourceMatches({ category: 'registry_event' }, ls('windows', 'registry_delete', 'sysmon'))).toBe(true);
    expect(logsourceMatches({ category: 'registry_set' }, ls('windows', 'registry_event', 'sysmon'))).toBe(false);
  });
});

describe('LogsourceIndex', () => {
  it('finds items by logsource, in insertion order per bucket, and forgets removed ones', () => {
    const index = new LogsourceIndex<string>();
    index.add({ product: 'windows', category: 'process_creation' }, 'pc');
    index.add({ product: 'windows' }, 'win');
    index.add({}, 'all');
    index.add({ category: 'registry_event' }, 'reg');
    expect(index.candidates(ls('windows', 'process_creation', 'sysmon')).sort()).toEqual(['all', 'pc', 'win']);
    expect(index.candidates(ls('windows', 'registry_set', 'sysmon')).sort()).toEqual(['all', 'reg', 'win']);
    expect(index.remove({ product: 'windows' }, 'win')).toBe(true);
    expect(index.remove({ product: 'windows' }, 'win')).toBe(false);
    expect(index.candidates(ls('windows', 'process_creation', 'sysmon')).sort()).toEqual(['all', 'pc']);
  });

  it('keeps its cache bounded', () => {
    const index = new LogsourceIndex<string>();
    index.add({}, 'all');
    for (let i = 0; i < MAX_CACHED_LOGSOURCES + 10; i++) expect(index.candidates(ls(`p${i}`, '', ''))).toEqual(['all']);
  });
});
