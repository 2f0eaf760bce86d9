/**
 * DNS server log lines → the fields of Sigma's `category: dns` rules: `query`, `answer`,
 * `record_type`, `src_ip`. Formats: dnsmasq (`query[A] host from ip`, `reply host is addr`,
 * `cached host is addr`, `forwarded host to ip`) and BIND's query log
 * (`client @0x… ip#port (host): query: host IN A +E(0)`). Structured DNS events (Zeek, ECS)
 * carry these as fields already; field-mapping.ts aliases them. No regular expressions.
 */
import type { FieldValue } from '../../../main/core/event.js';

export type DnsRecord = Record<string, FieldValue>;

export function parseDnsLog(message: string): DnsRecord | null {
  const bind = message.indexOf('query: ');
  if (bind !== -1) return parseBind(message, bind);
  return parseDnsmasq(message);
}

function words(text: string): string[] {
  return text.split(' ').filter((word) => word !== '');
}

function parseBind(message: string, at: number): DnsRecord | null {
  const [name, cls, type] = words(message.slice(at + 'query: '.length));
  if (name === undefined || cls === undefined || type === undefined) return null;
  const record: DnsRecord = { query: name, record_type: type };
  const client = message.indexOf('client ');
  if (client !== -1) {
    const tokens = words(message.slice(client + 'client '.length, at));
    const address = tokens.find((token) => token.includes('#'));
    if (address !== undefined) record['src_ip'] = address.slice(0, address.lastIndexOf('#'));
  }
  return record;
}

function parseDnsmasq(message: string): DnsRecord | null {
  const tokens = words(message);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (token.startsWith('query[') && token.endsWith(']')) {
      const record: DnsRecord = { query: tokens[i + 1] ?? '', record_type: token.slice(6, -1) };
      if (tokens[i + 2] === 'from' && tokens[i + 3] !== undefined) record['src_ip'] = tokens[i + 3] as string;
      return record;
    }
    if ((token === 'reply' || token === 'cached' || token.startsWith('config')) && tokens[i + 2] === 'is') {
      return { query: tokens[i + 1] ?? '', answer: tokens.slice(i + 3).join(' ') };
    }
    if (token === 'forwarded' && tokens[i + 2] === 'to') {
      return { query: tokens[i + 1] ?? '', dst_ip: tokens[i + 3] ?? '' };
    }
  }
  return null;
}
