/**
 * Datagrams the kernel dropped before the receiver could read them (its receive buffer was full),
 * from Linux's per-socket `drops` column in /proc/net/udp and /proc/net/udp6. UDP cannot push
 * back, so under overload these are the loss a sender never hears of; counting them turns it into
 * a counted drop. null where /proc does not say (other systems).
 */
import fs from 'node:fs';

const PROC_FILES = ['/proc/net/udp', '/proc/net/udp6'];

export function kernelUdpDrops(port: number, files: readonly string[] = PROC_FILES): number | null {
  let found: number | null = null;
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
      const fields = line.trim().split(/\s+/);
      const localPort = fields[1]?.split(':').pop();
      if (fields.length < 13 || localPort === undefined || Number.parseInt(localPort, 16) !== port) continue;
      found = (found ?? 0) + Number(fields[12]);
    }
  }
  return found;
}
