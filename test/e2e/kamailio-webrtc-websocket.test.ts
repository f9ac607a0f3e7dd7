// examples/kamailio/kamailio-webrtc.cfg with its WebSocket listener (the default build of the example): Kamailio
// parses it when its websocket module is installed (Debian kamailio-websocket-modules, in scripts/system-deps.sh).
// The SIP-only build and the offer/answer through a real Kamailio are in kamailio-webrtc.test.ts.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { REPO_ROOT, findExecutable, findKamailioModuleDir, tail } from '../fixtures/e2e/harness';

const CFG = path.join(REPO_ROOT, 'examples', 'kamailio', 'kamailio-webrtc.cfg');
const moduleDir = findKamailioModuleDir();
const missing = !findExecutable('kamailio') ? 'kamailio is not installed' : !moduleDir ? "Kamailio's module directory (rtpengine.so) not found" : undefined;

t.test('the example parses with the WebSocket listener (kamailio-websocket-modules)', async (t) => {
  if (missing) return void t.fail(missing);
  const ws = fs.existsSync(path.join(moduleDir!, 'websocket.so'));
  if (!t.ok(ws, `websocket.so in ${moduleDir} (Debian package kamailio-websocket-modules, scripts/system-deps.sh)`)) return;
  const r = spawnSync('kamailio', ['-c', '-f', CFG, '-L', moduleDir!], { encoding: 'utf8' });
  t.equal(r.status, 0, `kamailio -c exits 0${r.status ? `:\n${tail(r.stderr, 15)}` : ''}`);
  t.match(r.stderr, /config file ok/, 'kamailio -c: config file ok with the WebSocket listener');
});
