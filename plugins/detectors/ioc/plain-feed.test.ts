import { describe, expect, it } from 'vitest';
import { parsePlainFeed, PlainFeedError, splitCsvRow, type PlainFeedFormat } from './plain-feed.js';

const lines: PlainFeedFormat = { format: 'lines', indicatorType: 'auto', csvColumn: 1, csvDelimiter: ',' };
const csv = (column: number | string): PlainFeedFormat => ({ format: 'csv', indicatorType: 'auto', csvColumn: column, csvDelimiter: ',' });

describe('parsePlainFeed', () => {
  it('reads one indicator per line, detecting types and skipping comments', () => {
    const text = [
      '# Example blocklist',
      '; also a comment',
      '',
      '203.0.113.7',
      '198.51.100.0/24 ; SBL12345',
      'Evil.Example # a trailing comment',
      '0.0.0.0 ads.example',
      'http://evil.example/payload.exe',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      '192.0.2.9:443',
      'no indicator here',
      '  2001:db8::5  ',
    ].join('\r\n');
    const result = parsePlainFeed(text, lines);
    expect(result.indicators).toEqual([
      { type: 'ipv4', value: '203.0.113.7' },
      { type: 'ipv4', value: '198.51.100.0/24' },
      { type: 'domain', value: 'evil.example' },
      { type: 'domain', value: 'ads.example' },
      { type: 'url', value: 'http://evil.example/payload.exe' },
      { type: 'sha256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      { type: 'ipv4', value: '192.0.2.9' },
      { type: 'ipv6', value: '2001:0db8:0000:0000:0000:0000:0000:0005' },
    ]);
    expect(result.rejected).toBe(1);
    expect(result.rejectedSamples).toEqual([{ line: 11, text: 'no indicator here' }]);
  });

  it('forces a type when the feed names one', () => {
    const result = parsePlainFeed('evil.example\n203.0.113.7\n', { ...lines, indicatorType: 'domain' });
    expect(result.indicators).toEqual([{ type: 'domain', value: 'evil.example' }]);
    expect(result.rejected).toBe(1);
  });

  it('reads a CSV column by number or by header name', () => {
    const text = 'first_seen,ioc,malware\n2024-01-01,"203.0.113.7",emotet\n2024-01-02,"evil.example",qakbot\n2024-01-03,,x\n';
    expect(parsePlainFeed(text.split('\n').slice(1).join('\n'), csv(2)).indicators.map((i) => i.value)).toEqual(['203.0.113.7', 'evil.example']);
    const named = parsePlainFeed(text, csv('IOC'));
    expect(named.indicators.map((i) => i.value)).toEqual(['203.0.113.7', 'evil.example']);
    expect(named.rejected).toBe(1);
  });

  it("finds a header that abuse.ch comments out", () => {
    const text = [
      '################################################################',
      '# URLhaus Database Dump (CSV)                                  #',
      '# id,dateadded,url,url_status,threat',
      '"1","2024-01-01 00:00:00","http://evil.example/a.exe","online","malware_download"',
      '"2","2024-01-01 00:01:00","http://bad.example/b, c.exe","offline","malware_download"',
    ].join('\n');
    const result = parsePlainFeed(text, csv('url'));
    expect(result.indicators).toEqual([
      { type: 'url', value: 'http://evil.example/a.exe' },
      { type: 'url', value: 'http://bad.example/b,%20c.exe' },
    ]);
  });

  it('fails when a named column is not in the header', () => {
    expect(() => parsePlainFeed('a,b\n1,2\n', csv('url'))).toThrow(PlainFeedError);
    expect(() => parsePlainFeed('a,b\n1,2\n', csv('url'))).toThrow('CSV column "url" is not in the header row');
  });

  it('splits CSV rows with RFC 4180 quoting', () => {
    expect(splitCsvRow('a,"b,c","d ""e""",', ',')).toEqual(['a', 'b,c', 'd "e"', '']);
    expect(splitCsvRow('a;b', ';')).toEqual(['a', 'b']);
  });
});
