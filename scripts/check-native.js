#!/usr/bin/env node
// Loads the native addon (native/) the way whisperd does (node-gyp-build) and checks a few exports.
// Exit 1 with a loud message if it is missing or does not load: `make test` and `make run` build
// the addon with its build dependencies installed, so a missing addon is a defect, not an option.
// The full contract (ABI version, every export) is asserted by test/unit/native/addon.test.ts.
'use strict';
const path = require('node:path');
const dir = path.join(__dirname, '..', 'native');
let m;
try {
  m = require('node-gyp-build')(dir);
} catch (err) {
  console.error(`ERROR: the native addon does not load: ${String(err && err.message).split('\n')[0]}`);
  console.error('       build it with `make native` (needs libbcg729-dev, libspeexdsp-dev, libfftw3-dev, libssl-dev…: scripts/system-deps.sh run)');
  process.exit(1);
}
const missing = ['g729Encode', 'g729Decode', 'resamplerProcess', 'echoCancel', 'relayOpen', 'relayStart', 'srtpCreate', 'relaySetSrtp'].filter((f) => typeof m[f] !== 'function');
if (typeof m.abiVersion !== 'number' || missing.length > 0) {
  console.error(`ERROR: the native addon loaded but is incomplete (abiVersion ${m.abiVersion}; missing: ${missing.join(', ') || 'none'}); rebuild with \`make native\``);
  process.exit(1);
}
// The ABI version src/ expects (`NATIVE_ABI_VERSION = N` wherever the loader lives under src/).
const fs = require('node:fs');
function expectedAbi(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const v = expectedAbi(p);
      if (v !== undefined) return v;
    } else if (e.name.endsWith('.ts')) {
      const hit = /NATIVE_ABI_VERSION\s*=\s*(\d+)/.exec(fs.readFileSync(p, 'utf8'));
      if (hit) return Number(hit[1]);
    }
  }
  return undefined;
}
const want = expectedAbi(path.join(__dirname, '..', 'src'));
if (want !== undefined && m.abiVersion !== want) {
  console.error(`ERROR: the native addon has ABI version ${m.abiVersion}, src/ expects ${want}: rebuild with \`make native\``);
  process.exit(1);
}
