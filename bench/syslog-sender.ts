/**
 * Child process of the end-to-end bench: sends N syslog lines over UDP at a steady rate
 * (lines per second, in 1 ms slots) or, with rate 0, over one TCP connection as fast as the
 * appliance accepts them (TCP pushes back, so nothing is lost).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { syslogLines } from './lines.js';

const [port, count, rate] = process.argv.slice(2).map(Number) as [number, number, number];
const lines = syslogLines(count);

if (rate === 0) {
  const socket = net.connect(port, '127.0.0.1', () => socket.end(`${lines.join('\n')}\n`));
  socket.on('close', () => process.exit(0));
} else {
  const socket = dgram.createSocket('udp4');
  const payloads = lines.map((line) => Buffer.from(line));
  const start = performance.now();
  let sent = 0;
  const tick = () => {
    // Send what the schedule says should be out by now.
    const due = Math.min(payloads.length, Math.floor(((performance.now() - start) / 1000) * rate));
    for (; sent < due; sent++) socket.send(payloads[sent]!, port, '127.0.0.1');
    if (sent < payloads.length) setImmediate(tick);
    else setTimeout(() => socket.close(), 100);
  };
  tick();
}
