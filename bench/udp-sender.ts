/** Child process of the end-to-end bench: sends N syslog lines over UDP in paced bursts. */
import dgram from 'node:dgram';
import { syslogLines } from './lines.js';

const [port, count] = process.argv.slice(2).map(Number) as [number, number];
const BURST = 200;
const socket = dgram.createSocket('udp4');
const lines = syslogLines(count).map((line) => Buffer.from(line));

let sent = 0;
function burst(): void {
  const end = Math.min(sent + BURST, lines.length);
  for (; sent < end; sent++) socket.send(lines[sent]!, port, '127.0.0.1');
  if (sent < lines.length) setImmediate(burst);
  else setTimeout(() => socket.close(), 50);
}
burst();
