/**
 * IPv4 and IPv6 parsing and CIDR membership for the `cidr` modifier (specification 2.1.0,
 * "IP Modifiers"). No regular expressions; addresses become byte arrays. An IPv4-mapped IPv6
 * address (`::ffff:10.1.2.3`) is compared as the IPv4 address it carries; a zone (`%eth0`) is
 * ignored. Text that is not an address never matches.
 */

export interface Cidr {
  /** 4 or 16 bytes. */
  bytes: Uint8Array;
  prefix: number;
}

function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] as string;
    if (part.length === 0 || part.length > 3) return undefined;
    let value = 0;
    for (let j = 0; j < part.length; j++) {
      const code = part.charCodeAt(j);
      if (code < 0x30 || code > 0x39) return undefined;
      value = value * 10 + (code - 0x30);
    }
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

function parseHextet(part: string): number | undefined {
  if (part.length === 0 || part.length > 4) return undefined;
  const value = Number.parseInt(part, 16);
  return /^[0-9a-fA-F]+$/.test(part) ? value : undefined;
}

function parseIPv6(input: string): Uint8Array | undefined {
  let text = input;
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const words = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] as string;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (!v4) return undefined;
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else {
        const value = parseHextet(piece);
        if (value === undefined) return undefined;
        out.push(value);
      }
    }
    return out;
  };
  const head = words(halves[0] as string);
  const tail = halves.length === 2 ? words(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((word, i) => {
    bytes[i * 2] = word >> 8;
    bytes[i * 2 + 1] = word & 0xff;
  });
  return bytes;
}

/** Parses an IPv4 or IPv6 address; IPv4-mapped IPv6 comes back as 4 bytes. */
export function parseIp(text: string): Uint8Array | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const bytes = parseIPv6(trimmed);
    if (bytes && isV4Mapped(bytes)) return bytes.slice(12);
    return bytes;
  }
  return parseIPv4(trimmed);
}

function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** Parses `address/prefix` (prefix optional: a single host); undefined when invalid. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const bytes = parseIp(address);
  if (!bytes) return undefined;
  const max = bytes.length * 8;
  let prefix = max;
  if (slash !== -1) {
    const digits = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(digits)) return undefined;
    prefix = Number(digits);
    // An IPv4-mapped network keeps its meaning on the 4-byte form.
    if (address.includes(':') && bytes.length === 4) prefix -= 96;
    if (prefix < 0 || prefix > max) return undefined;
  }
  return { bytes, prefix };
}

export function cidrContains(cidr: Cidr, address: Uint8Array): boolean {
  if (address.length !== cidr.bytes.length) return false;
  const full = cidr.prefix >> 3;
  for (let i = 0; i < full; i++) if (address[i] !== cidr.bytes[i]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((address[full] as number) & mask) === ((cidr.bytes[full] as number) & mask);
}
