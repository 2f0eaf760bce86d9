import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kernelUdpDrops } from './udp-drops.js';

const HEADER = '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';

function procFile(lines: string[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'udp-drops-')), 'udp');
  fs.writeFileSync(file, [HEADER, ...lines, ''].join('\n'));
  return file;
}

describe('kernelUdpDrops', () => {
  it("sums the drops column of the sockets bound to the port, in both address families", () => {
    const v4 = procFile([
      ' 1021: 0100007F:1582 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 918273 2 0000000000000000 1234',
      ' 1022: 0100007F:1583 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 918274 2 0000000000000000 99',
    ]);
    const v6 = procFile([
      ' 7: 00000000000000000000000001000000:1582 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 918275 2 0000000000000000 6',
    ]);
    expect(kernelUdpDrops(5506, [v4, v6])).toBe(1240);
    expect(kernelUdpDrops(5507, [v4, v6])).toBe(99);
  });

  it('is 0 for a listed socket without drops and null where nothing says', () => {
    const file = procFile([' 1: 0100007F:1582 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 1 2 0000000000000000 0']);
    expect(kernelUdpDrops(5506, [file])).toBe(0);
    expect(kernelUdpDrops(9999, [file])).toBeNull();
    expect(kernelUdpDrops(5506, ['/nonexistent/udp'])).toBeNull();
  });
});
