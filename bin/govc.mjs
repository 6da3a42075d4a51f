#!/usr/bin/env node
// The `govc` command: a thin launcher for the built CLI bundle (npm run build writes out/main/govc.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../out/main/govc.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write('govc: the engine is not built yet: run `npm run build` first\n');
  process.exit(1);
}
await import(bundle.href);
