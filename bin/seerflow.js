#!/usr/bin/env node
// The `seerflow` command: runs the built CLI (`npm run build` makes out/main/cli.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('seerflow is not built yet: run `npm run build` (or `npm start`) in the project folder first.');
  process.exit(1);
}
await import(cli);
