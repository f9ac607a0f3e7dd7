/*
 * whisperd supervisor console (served at /console by whisperd's HTTP server; no framework, no build step).
 *
 * The API token comes from the URL fragment (/console#token=..., never sent to the server by the browser) or
 * the token field; it is kept in this tab's sessionStorage and sent only as `Authorization: Bearer` to this
 * origin's API. Everything the API returns (call ids, tags, labels, identities: peer-controlled strings) is
 * rendered with textContent, never parsed as HTML; path segments are encodeURIComponent'ed.
 *
 * Join: getUserMedia -> RTCPeerConnection (no STUN/TURN servers) -> offer -> wait for ICE gathering to
 * complete (no trickle) -> POST /v1/calls/:id/supervisors {sdp} -> set whisperd's answer (ICE-lite,
 * DTLS-SRTP). Live updates: GET /v1/events (Server-Sent Events read with fetch, so the token travels as a
 * header: EventSource cannot send one) and a poll of GET /v1/calls every 3 s.
 */
'use strict';
(() => {
  const TOKEN_KEY = 'whisperd.console.token';
  const POLL_MS = 3000;
  const ICE_GATHER_MS = 5000;
  const MAX_EVENTS = 50;
  const $ = (id) => document.getElementById(id);
  /**
   * One path segment from a peer-controlled string. '.' and '..' are valid Call-IDs and tags, but every URL
   * parser (the browser's fetch included) collapses them as dot segments whatever the escaping (%2e too), so
   * such a call cannot be addressed: refused with a clear error instead of reaching another route.
   */
  const seg = (value) => {
    const v = String(value);
    if (v === '.' || v === '..') throw new Error("'" + v + "' cannot be used in an API path (a dot segment): use the ng protocol for this call");
    return encodeURIComponent(v);
  };

  let token = '';
  let selectedCall = null; // call id whose details are shown
  let session = null; // { callId, tag, agentTag, customerTag, mode, muted, pc, mic, meter }
  let eventsAbort = null;

  // ---- token --------------------------------------------------------------------------------------------
  function readToken() {
    const m = /(?:^|&)token=([^&]*)/.exec(location.hash.slice(1));
    if (m) {
      try {
        token = decodeURIComponent(m[1]);
      } catch {
        token = '';
      }
      // Out of the address bar and the history at once.
      history.replaceState(null, '', location.pathname + location.search);
      sessionStorage.setItem(TOKEN_KEY, token);
    } else {
      token = sessionStorage.getItem(TOKEN_KEY) || '';
    }
  }

  function headers(json) {
    const h = {};
    if (token !== '') h.authorization = 'Bearer ' + token;
    if (json) h['content-type'] = 'application/json';
    return h;
  }

  // ---- API ----------------------------------------------------------------------------------------------
  async function api(method, path, body) {
    const init = { method, headers: headers(body !== undefined), cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await fetch(path, init);
    const text = await res.text();
    let data = null;
    try {
      data = text === '' ? null : JSON.parse(text);
    } catch {
      data = null;
    }
    if (!res.ok) {
      const msg = data && typeof data.error === 'string' ? data.error : 'HTTP ' + res.status;
      const err = new Error(res.status === 401 ? 'Unauthorized: enter the API token' : msg);
      err.status = res.status;
      throw err;
    }
    return data;
  }

  // ---- rendering helpers (text only) --------------------------------------------------------------------
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function status(text, isError) {
    const s = $('status');
    s.textContent = text;
    s.className = isError ? 'error' : '';
  }

  function time(iso) {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString();
  }

  // ---- calls --------------------------------------------------------------------------------------------
  async function refreshCalls() {
    let data;
    try {
      data = await api('GET', '/v1/calls');
    } catch (err) {
      status(err.message, true);
      return;
    }
    const calls = Array.isArray(data && data.calls) ? data.calls : [];
    const body = $('calls').tBodies[0];
    body.replaceChildren();
    for (const c of calls) {
      const tr = document.createElement('tr');
      tr.append(el('td', c.callId, 'id'), el('td', time(c.created)), el('td', c.participants));
      const sups = Array.isArray(c.supervisors) ? c.supervisors.map((s) => s.tag + ' (' + s.mode + ')').join(', ') : '';
      tr.append(el('td', sups));
      const td = el('td');
      const open = el('button', 'Open');
      open.type = 'button';
      open.addEventListener('click', () => selectCall(String(c.callId)));
      td.append(open);
      tr.append(td);
      body.append(tr);
    }
    $('no-calls').hidden = calls.length > 0;
    if (selectedCall !== null && !calls.some((c) => c.callId === selectedCall)) {
      selectedCall = null;
      $('call-section').hidden = true;
    }
  }

  async function selectCall(callId) {
    let call;
    try {
      call = await api('GET', '/v1/calls/' + seg(callId));
    } catch (err) {
      status(err.message, true);
      return;
    }
    selectedCall = callId;
    $('call-id').textContent = callId;
    const body = $('participants').tBodies[0];
    body.replaceChildren();
    const agent = $('agent');
    agent.replaceChildren();
    const parties = Array.isArray(call.participants) ? call.participants : [];
    for (const p of parties) {
      const codec = p.codec ? p.codec.encoding + '/' + p.codec.clockRate : '';
      const tr = document.createElement('tr');
      tr.append(el('td', p.tag, 'id'), el('td', p.role), el('td', p.label), el('td', codec));
      body.append(tr);
      if (p.role !== 'supervisor') {
        const o = el('option', p.tag);
        o.value = String(p.tag);
        agent.append(o);
      }
    }
    // The callee (usually the agent) is listed last; a participant already coached is preferred.
    const coached = parties.find((p) => p.role === 'agent');
    if (coached) agent.value = String(coached.tag);
    else if (agent.options.length > 0) agent.selectedIndex = agent.options.length - 1;
    $('call-section').hidden = false;
  }

  // ---- joining (WebRTC) ---------------------------------------------------------------------------------
  function iceGatheringComplete(pc) {
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        if (pc.iceGatheringState !== 'complete') return;
        clearTimeout(timer);
        pc.removeEventListener('icegatheringstatechange', done);
        resolve();
      };
      // Candidates gathered so far go in the offer if gathering does not finish (no STUN server: it does at once).
      const timer = setTimeout(() => {
        pc.removeEventListener('icegatheringstatechange', done);
        resolve();
      }, ICE_GATHER_MS);
      pc.addEventListener('icegatheringstatechange', done);
    });
  }

  function randomTag() {
    const b = new Uint8Array(6);
    crypto.getRandomValues(b);
    return 'console-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  }

  async function join(callId, agentTag, mode, identity) {
    if (session) throw new Error('Leave the current call first');
    seg(callId); // (refuses a call that cannot be addressed before the microphone is taken)
    const tag = randomTag();
    const mic = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: false, autoGainControl: false }, video: false });
    const pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    const s = { callId, tag, agentTag, customerTag: null, mode, muted: false, pc, mic, meter: null, posted: false };
    try {
      for (const track of mic.getAudioTracks()) pc.addTrack(track, mic);
      pc.addEventListener('track', (ev) => {
        const stream = ev.streams[0] || new MediaStream([ev.track]);
        const audio = $('remote');
        audio.srcObject = stream;
        audio.play().catch(() => undefined);
        if (s.meter) s.meter.stop();
        s.meter = levelMeter(stream);
      });
      pc.addEventListener('connectionstatechange', () => {
        $('connection').textContent = '(' + pc.connectionState + ')';
        if (pc.connectionState === 'failed' && session === s) status('Media connection failed (ICE or DTLS): no audio; Leave and join again', true);
      });
      await pc.setLocalDescription(await pc.createOffer());
      await iceGatheringComplete(pc);
      const body = { tag, sdp: pc.localDescription.sdp, mode, agentTag };
      if (identity) body.supervisor = identity;
      const reply = await api('POST', '/v1/calls/' + seg(callId) + '/supervisors', body);
      s.posted = true;
      await pc.setRemoteDescription({ type: 'answer', sdp: String(reply.sdp) });
      s.mode = reply.mode;
    } catch (err) {
      await teardown(s, s.posted);
      throw err;
    }
    session = s;
    try {
      const call = await api('GET', '/v1/calls/' + seg(callId));
      const mine = (call.supervision || []).find((x) => x.tag === tag);
      if (mine) s.customerTag = mine.customerTag;
    } catch {
      // (the volume sliders then offer the agent only)
    }
    showSession();
  }

  async function teardown(s, remove) {
    if (s.meter) s.meter.stop();
    for (const t of s.mic.getTracks()) t.stop();
    s.pc.close();
    $('remote').srcObject = null;
    if (remove) {
      try {
        await api('DELETE', '/v1/calls/' + seg(s.callId) + '/supervisors/' + seg(s.tag));
      } catch (err) {
        if (err.status !== 404) status(err.message, true);
      }
    }
  }

  async function leave() {
    const s = session;
    if (!s) return;
    session = null;
    await teardown(s, true);
    $('session-section').hidden = true;
    status('Left the call');
    refreshCalls();
  }

  /** The call ended or whisperd removed this supervisor: close the browser side only. */
  function ended(reason) {
    const s = session;
    if (!s) return;
    session = null;
    teardown(s, false);
    $('session-section').hidden = true;
    status('Supervision ended: ' + reason, true);
  }

  // ---- the session panel --------------------------------------------------------------------------------
  function showSession() {
    const s = session;
    $('session-call').textContent = s.callId;
    $('session-tag').textContent = s.tag;
    const vols = $('volumes');
    vols.replaceChildren();
    const sources = [];
    if (s.customerTag !== null && s.customerTag !== undefined) sources.push(['Customer', s.customerTag]);
    sources.push(['Agent', s.agentTag]);
    for (const [who, source] of sources) {
      const label = el('label', who + ' (' + source + ') volume ');
      const input = document.createElement('input');
      input.type = 'range';
      input.min = '-60';
      input.max = '12';
      input.step = '1';
      input.value = '0';
      input.dataset.source = String(source);
      const out = el('output', '0 dB');
      input.addEventListener('input', () => (out.textContent = input.value + ' dB'));
      input.addEventListener('change', () => setGain(source, Number(input.value)));
      label.append(input, out);
      vols.append(label);
    }
    $('bleed-level').textContent = '-';
    $('bleed-meter').value = -60;
    updateMode();
    $('session-section').hidden = false;
    status('Joined ' + s.callId + ' in ' + s.mode);
  }

  function updateMode() {
    const s = session;
    if (!s) return;
    $('mode').textContent = s.mode;
    for (const b of $('modes').querySelectorAll('button[data-mode]')) {
      b.disabled = s.mode === 'page' || b.dataset.mode === s.mode;
      b.setAttribute('aria-pressed', String(b.dataset.mode === s.mode));
    }
    const mute = $('mute');
    mute.disabled = s.mode !== 'page';
    mute.textContent = s.muted ? 'Page mute: on' : 'Page mute: off';
  }

  async function setMode(mode) {
    const s = session;
    if (!s) return;
    try {
      const r = await api('PATCH', '/v1/calls/' + seg(s.callId) + '/supervisors/' + seg(s.tag), { mode });
      s.mode = r.mode;
      updateMode();
      status('Mode: ' + r.mode);
    } catch (err) {
      status(err.message, true);
    }
  }

  async function toggleMute() {
    const s = session;
    if (!s) return;
    try {
      const r = await api('POST', '/v1/calls/' + seg(s.callId) + '/supervisors/' + seg(s.tag) + '/mute', { muted: 'toggle' });
      s.muted = r.muted === true;
      updateMode();
    } catch (err) {
      status(err.message, true);
    }
  }

  async function setGain(source, gainDb) {
    const s = session;
    if (!s) return;
    try {
      await api('PUT', '/v1/calls/' + seg(s.callId) + '/participants/' + seg(s.tag) + '/gains', { source: String(source), gainDb });
    } catch (err) {
      status(err.message, true);
    }
  }

  /** The level of what the supervisor hears (dBFS RMS, 4 times a second). */
  function levelMeter(stream) {
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(buf);
      let sum = 0;
      for (const x of buf) sum += x * x;
      const db = sum > 0 ? 10 * Math.log10(sum / buf.length) : -100;
      $('heard-meter').value = Math.max(-100, db);
      $('heard-level').textContent = db > -100 ? db.toFixed(1) + ' dBFS' : 'silence';
    }, 250);
    return {
      stop() {
        clearInterval(timer);
        ctx.close().catch(() => undefined);
      },
    };
  }

  // ---- events (SSE over fetch) --------------------------------------------------------------------------
  function describe(e) {
    const parts = [time(e.time), e.type, 'call ' + e.callId];
    if (e.supervisorTag !== undefined) parts.push('supervisor ' + e.supervisorTag);
    if (e.mode !== undefined) parts.push('mode ' + e.mode);
    if (e.muted !== undefined) parts.push(e.muted ? 'muted' : 'unmuted');
    if (e.levelDb !== undefined) parts.push('level ' + e.levelDb + ' dB');
    if (e.delayMs !== undefined) parts.push('delay ' + e.delayMs + ' ms');
    if (e.action !== undefined) parts.push('action ' + e.action);
    if (e.reason !== undefined) parts.push('(' + e.reason + ')');
    return parts.join(' ');
  }

  function onEvent(e) {
    const list = $('events');
    list.prepend(el('li', describe(e), e.type === 'failsafe' || e.type === 'denied' ? 'alert' : ''));
    while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
    const s = session;
    const mine = s && e.callId === s.callId && e.supervisorTag === s.tag;
    if (mine && e.type === 'bleed' && typeof e.levelDb === 'number') {
      $('bleed-meter').value = Math.max(-60, Math.min(0, e.levelDb));
      $('bleed-level').textContent = e.levelDb + ' dB at ' + e.delayMs + ' ms';
    }
    if (mine && e.type === 'failsafe') status('Failsafe: whisper closed (bleed ' + e.levelDb + ' dB), now ' + e.action, true);
    if (mine && e.type === 'mode' && typeof e.mode === 'string') {
      s.mode = e.mode;
      updateMode();
    }
    if (mine && e.type === 'mute') {
      s.muted = e.muted === true;
      updateMode();
    }
    if (mine && e.type === 'stopped') ended(String(e.reason));
    if (e.type === 'started' || e.type === 'stopped') refreshCalls();
  }

  function parseBlock(block) {
    let data = '';
    for (const line of block.split('\n')) if (line.startsWith('data:')) data += line.slice(5).trimStart();
    if (data === '') return;
    try {
      const e = JSON.parse(data);
      if (e && typeof e === 'object') onEvent(e);
    } catch {
      // not JSON: ignored
    }
  }

  async function readEvents(signal) {
    const res = await fetch('/v1/events', { headers: headers(false), cache: 'no-store', credentials: 'omit', signal });
    if (!res.ok) throw new Error(res.status === 401 ? 'Unauthorized: enter the API token' : 'events: HTTP ' + res.status);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value.replace(/\r\n?/g, '\n');
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        parseBlock(buf.slice(0, i));
        buf = buf.slice(i + 2);
      }
      if (buf.length > 1 << 20) buf = ''; // a runaway event: dropped, not buffered without bound
    }
  }

  function startEvents() {
    if (eventsAbort) eventsAbort.abort();
    const ctrl = new AbortController();
    eventsAbort = ctrl;
    (async () => {
      while (!ctrl.signal.aborted) {
        try {
          await readEvents(ctrl.signal);
        } catch (err) {
          if (ctrl.signal.aborted) return;
          status(err.message, true);
        }
        await new Promise((r) => setTimeout(r, 2000));
      }
    })();
  }

  // ---- wiring -------------------------------------------------------------------------------------------
  function start() {
    readToken();
    $('token').value = token;
    $('token-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      token = $('token').value;
      sessionStorage.setItem(TOKEN_KEY, token);
      status('');
      startEvents();
      refreshCalls();
    });
    $('join-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const btn = $('join');
      btn.disabled = true;
      status('Joining…');
      join(selectedCall, $('agent').value, $('join-mode').value, $('identity').value.trim())
        .catch((err) => status('Join failed: ' + err.message, true))
        .finally(() => (btn.disabled = false));
    });
    for (const b of $('modes').querySelectorAll('button[data-mode]')) b.addEventListener('click', () => setMode(b.dataset.mode));
    $('mute').addEventListener('click', toggleMute);
    $('leave').addEventListener('click', leave);
    addEventListener('pagehide', () => {
      const s = session;
      if (!s) return;
      try {
        fetch('/v1/calls/' + seg(s.callId) + '/supervisors/' + seg(s.tag), { method: 'DELETE', headers: headers(false), keepalive: true }).catch(() => undefined);
      } catch {
        // (a dot-segment id: never joined)
      }
    });
    startEvents();
    refreshCalls();
    setInterval(refreshCalls, POLL_MS);
  }

  start();
})();
