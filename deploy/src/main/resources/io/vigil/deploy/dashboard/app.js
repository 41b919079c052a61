// Vigil dashboard. Every text that comes from Kafka (camera ids, labels, URLs, reasons) goes into the page through
// textContent or canvas fillText, never as HTML.
'use strict';

const cams = new Map();        // camera id -> card state
const HISTORY_S = 300;
const COLORS = ['#4fc3f7', '#ffb74d', '#81c784', '#e57373', '#ba68c8', '#fff176', '#4db6ac', '#f06292'];
const main = document.getElementById('cameras');
// who is logged in, their role and the CSRF token every write carries (from /api/session)
let session = { auth: false, role: 'admin', csrf: null };
const explain = document.getElementById('explain');

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function card(id) {
  let c = cams.get(id);
  if (c) return c;
  const root = el('section', 'card');
  root.setAttribute('data-camera', id);
  const head = el('div', 'row');
  const title = el('h2', 'name', id);
  const state = el('span', 'badge state', 'waiting');
  const remove = el('button', 'remove', 'remove');
  remove.addEventListener('click', () => unsubscribe(id));
  remove.hidden = session.role !== 'admin';
  head.append(title, state, remove);
  const stats = el('div', 'row stats');
  const count = el('span', 'count', '0');
  const fps = el('span', 'fps', '– fps');
  const latency = el('span', 'latency', '– ms');
  const frameNo = el('span', 'frameNo', '');
  const detector = el('span', 'detector', '');
  stats.append(el('span', null, 'objects'), count, fps, latency, detector, frameNo);
  const tags = el('div', 'row tags');
  const url = el('div', 'url');
  const reason = el('div', 'reason');
  const canvas = el('canvas', 'frame');
  canvas.width = 768; canvas.height = 432;
  canvas.dataset.boxes = '0';
  const chart = el('canvas', 'chart');
  chart.width = 400; chart.height = 60;
  // analytics: an admin draws a line (two clicks) or a zone (three or more) on the frame and names it
  const bar = el('div', 'row rulebar');
  const drawLine = el('button', 'draw-line', 'draw line');
  const drawZone = el('button', 'draw-zone', 'draw zone');
  const ruleName = el('input', 'rule-name');
  ruleName.placeholder = 'rule name'; ruleName.size = 12; ruleName.hidden = true;
  const save = el('button', 'save-rule', 'save'); save.hidden = true;
  const cancel = el('button', 'cancel-rule', 'cancel'); cancel.hidden = true;
  const drawMsg = el('span', 'draw-msg');
  bar.append(drawLine, drawZone, ruleName, save, cancel, drawMsg);
  bar.hidden = session.role !== 'admin';
  const rules = el('ul', 'rules');
  const events = el('ul', 'events');
  root.append(head, stats, tags, url, reason, canvas, bar, rules, chart, events);
  main.append(root);
  document.getElementById('empty').hidden = true;
  c = { id, root, state, count, fps, latency, frameNo, detector, tags, url, reason, canvas, chart, bar, ruleName, save, cancel, drawMsg,
        rulesList: rules, eventsList: events, rules: [], drawing: null, eventItems: new Map(),
        history: new Map(), pending: null, loading: false, lastImage: null, lastView: null };
  drawLine.addEventListener('click', () => startDrawing(c, 'line'));
  drawZone.addEventListener('click', () => startDrawing(c, 'zone'));
  cancel.addEventListener('click', () => stopDrawing(c, ''));
  save.addEventListener('click', () => saveRule(c));
  canvas.addEventListener('click', (ev) => addPoint(c, ev));
  cams.set(id, c);
  if (pendingAnalytics.has(id)) { applyAnalytics(c, pendingAnalytics.get(id)); pendingAnalytics.delete(id); }
  return c;
}

// analytics for cameras without a card yet (a rule written before the camera is subscribed)
const pendingAnalytics = new Map();

function startDrawing(c, kind) {
  c.drawing = { kind, points: [] };
  c.ruleName.hidden = false; c.save.hidden = false; c.cancel.hidden = false;
  c.drawMsg.textContent = kind === 'line' ? 'click the two ends of the line (in = crossing from its left to its right, looking from the first point)'
                                          : 'click the corners of the zone, then save';
  c.canvas.classList.add('drawing');
  redraw(c);
}

function stopDrawing(c, msg) {
  c.drawing = null;
  c.ruleName.hidden = true; c.save.hidden = true; c.cancel.hidden = true; c.ruleName.value = '';
  c.drawMsg.textContent = msg;
  c.canvas.classList.remove('drawing');
  redraw(c);
}

function addPoint(c, ev) {
  const d = c.drawing;
  if (!d) return;
  if (d.kind === 'line' && d.points.length >= 2) return;
  const r = c.canvas.getBoundingClientRect();
  const x = Math.min(1, Math.max(0, (ev.clientX - r.left) / r.width));
  const y = Math.min(1, Math.max(0, (ev.clientY - r.top) / r.height));
  d.points.push([Math.round(x * 10000) / 10000, Math.round(y * 10000) / 10000]);
  c.canvas.dataset.drawPoints = String(d.points.length);
  redraw(c);
}

async function saveRule(c) {
  const d = c.drawing;
  if (!d) return;
  const name = c.ruleName.value.trim();
  if (!name) { c.drawMsg.textContent = 'name the rule first'; return; }
  const need = d.kind === 'line' ? 2 : 3;
  if (d.points.length < need) { c.drawMsg.textContent = 'a ' + d.kind + ' needs ' + (d.kind === 'line' ? '2' : 'at least 3') + ' points'; return; }
  const rule = { schema: 'rules/1', id: (c.id + '.' + name).replace(/[^A-Za-z0-9._-]+/g, '-'), camera: c.id, kind: d.kind, name, points: d.points };
  const r = await fetch('/api/rules', { method: 'POST', headers: writeHeaders({ 'Content-Type': 'application/json' }), body: JSON.stringify(rule) });
  if (r.ok) stopDrawing(c, 'saved ' + rule.id);
  else c.drawMsg.textContent = await r.text();
}

async function deleteRule(c, id) {
  const r = await fetch('/api/rules/' + encodeURIComponent(id), { method: 'DELETE', headers: writeHeaders() });
  c.drawMsg.textContent = r.ok ? 'deleted ' + id : await r.text();
}

function applyAnalytics(c, a) {
  c.rules = a.rules || [];
  c.canvas.dataset.rules = String(c.rules.length);
  const tallies = a.tallies || {}, windows = a.windows || {};
  c.rulesList.replaceChildren();
  for (const rule of c.rules) {
    if (rule.kind === 'calibration') continue;
    const li = el('li', 'rule ' + rule.kind);
    li.setAttribute('data-rule', rule.id);
    li.append(el('span', 'rule-name', rule.name || rule.id), el('span', 'kind', rule.kind));
    const t = tallies[rule.id] || {};
    const keys = rule.kind === 'line' ? ['in', 'out'] : ['entries', 'exits', 'loitering'];
    if (rule.maxSpeed) keys.push('speeding');
    for (const k of keys) {
      const n = el('span', 'tally ' + k, String(t[k] || 0));
      n.title = k + ' since ' + new Date(a.since).toLocaleTimeString();
      li.append(el('span', 'tally-label', k), n);
    }
    for (const w of windows[rule.id] || []) {
      const parts = rule.kind === 'line' ? 'in ' + w.in + ' out ' + w.out : 'entries ' + w.entries + ' exits ' + w.exits + ' max ' + w.maxOccupancy;
      li.append(el('span', 'window', new Date(w.windowStart).toLocaleTimeString() + ' ' + w.label + ': ' + parts + (w.update ? ' (updated)' : '')));
    }
    if (session.role === 'admin') {
      const del = el('button', 'delete-rule', '×');
      del.title = 'delete rule ' + rule.id;
      del.addEventListener('click', () => deleteRule(c, rule.id));
      li.append(del);
    }
    c.rulesList.append(li);
  }
  renderEvents(c, a.events || []);
  redraw(c);
}

function renderEvents(c, events) {
  const keep = new Map();
  const items = [];
  for (const e of events) {
    const ref = e.frameRef || {};
    const key = [e.rule, e.type, e.track, e.frame, e.direction || ''].join('|');
    let li = c.eventItems.get(key);
    if (!li) {
      li = el('li', 'event');
      li.dataset.type = e.type;
      li.dataset.rule = e.rule;
      li.dataset.frame = String(e.frame);
      const img = el('img', 'thumb');
      img.alt = 'frame ' + e.frame;
      img.dataset.ref = ref.topic + '/' + ref.partition + '/' + ref.offset;
      img.addEventListener('error', () => { img.replaceWith(el('span', 'thumb gone', 'frame expired')); });
      img.src = '/api/frameref?topic=' + encodeURIComponent(ref.topic) + '&partition=' + ref.partition + '&offset=' + ref.offset;
      const what = e.type + (e.direction ? ' ' + e.direction : '') + (e.dwellSeconds !== undefined ? ' ' + e.dwellSeconds.toFixed(1) + ' s' : '')
          + (e.speed !== undefined && e.type === 'speeding' ? ' ' + e.speed.toFixed(2) + ' ' + e.speedUnit : '');
      const text = el('span', 'what', new Date(e.ts).toLocaleTimeString() + ' ' + what + ' · ' + (e.ruleName || e.rule) + ' · #' + e.track + ' ' + e.label);
      const clip = el('a', 'clip', 'clip');
      clip.href = '/api/clip?camera=' + encodeURIComponent(e.camera) + '&from=' + (e.ts - 3000) + '&to=' + (e.ts + 3000);
      clip.setAttribute('download', '');
      li.append(img, text, clip);
    }
    keep.set(key, li);
    items.push(li);
  }
  c.eventItems = keep;
  c.eventsList.replaceChildren(...items);
}

function redraw(c) {
  if (c.lastView) draw(c, c.lastView, c.lastImage);
  else {
    const g = c.canvas.getContext('2d');
    g.fillStyle = '#000'; g.fillRect(0, 0, c.canvas.width, c.canvas.height);
    drawRules(c, g, c.canvas.width, c.canvas.height);
  }
}

// Zones filled, lines with an arrow on their "in" side (the right of A->B, image y down), names beside them.
function drawRules(c, g, w, h) {
  g.save();
  g.lineWidth = 2;
  g.font = '13px system-ui, sans-serif';
  for (const r of c.rules) {
    if (!r.points || r.kind === 'calibration') continue;
    const pts = r.points.map(([x, y]) => [x * w, y * h]);
    g.strokeStyle = r.kind === 'zone' ? '#fff176' : '#f06292';
    g.beginPath();
    pts.forEach(([x, y], i) => (i ? g.lineTo : g.moveTo).call(g, x, y));
    if (r.kind === 'zone') { g.closePath(); g.fillStyle = 'rgba(255,241,118,0.12)'; g.fill(); }
    g.stroke();
    if (r.kind === 'line') {
      const [[ax, ay], [bx, by]] = pts;
      const mx = (ax + bx) / 2, my = (ay + by) / 2, len = Math.hypot(bx - ax, by - ay) || 1;
      const nx = -(by - ay) / len, ny = (bx - ax) / len;   // the right of A->B with y down
      g.beginPath(); g.moveTo(mx, my); g.lineTo(mx + nx * 24, my + ny * 24); g.stroke();
      g.fillStyle = g.strokeStyle; g.fillText('in', mx + nx * 28, my + ny * 28);
    }
    g.fillStyle = g.strokeStyle;
    g.fillText(r.name || r.id, pts[0][0] + 4, Math.max(12, pts[0][1] - 4));
  }
  const d = c.drawing;
  if (d && d.points.length) {
    g.strokeStyle = '#80deea'; g.fillStyle = '#80deea';
    g.beginPath();
    d.points.forEach(([x, y], i) => (i ? g.lineTo : g.moveTo).call(g, x * w, y * h));
    if (d.kind === 'zone' && d.points.length > 2) g.closePath();
    g.stroke();
    for (const [x, y] of d.points) { g.beginPath(); g.arc(x * w, y * h, 4, 0, 2 * Math.PI); g.fill(); }
  }
  g.restore();
}

function applyCamera(s) {
  const c = card(s.camera);
  if (s.spec) {
    c.url.textContent = s.spec.url || '';
    c.tags.replaceChildren();
    for (const [k, v] of Object.entries(s.spec.labels || {})) c.tags.append(el('span', 'tag', k + '=' + v));
    if (s.spec.fps) c.tags.append(el('span', 'tag', 'publish ' + s.spec.fps + ' fps'));
  }
  if (s.status) {
    c.state.textContent = s.status.state;
    c.state.className = 'badge state ' + s.status.state;
    c.reason.textContent = s.status.reason || '';
  }
  if (s.history) for (const [sec, n] of s.history) c.history.set(sec, n);
  if (s.analytics) applyAnalytics(c, s.analytics);
  if (s.latest) frame(s.latest);
  drawChart(c);
}

function frame(v) {
  const c = card(v.camera);
  c.count.textContent = String(v.count);
  c.fps.textContent = v.fps.toFixed(1) + ' fps';
  c.latency.textContent = 'latency ' + v.latencyMs + ' ms';
  c.frameNo.textContent = 'frame ' + v.frame;
  // the detector's share of the recent frames, and why the others were skipped (interval, motion, overload)
  const skips = Object.entries(v.skips || {}).map(([k, x]) => k + ' ' + Math.round(100 * x) + ' %');
  c.detector.textContent = 'detector ' + Math.round(100 * (v.detectorShare ?? 1)) + ' %' + (skips.length ? ' (' + skips.join(', ') + ')' : '');
  const sec = Math.floor(v.ts / 1000);
  c.history.set(sec, Math.max(c.history.get(sec) || 0, v.count));
  for (const k of c.history.keys()) if (k < sec - HISTORY_S) c.history.delete(k);
  drawChart(c);
  // Only the newest view waits while an image loads: a slow page skips frames, it never falls behind.
  c.pending = v;
  if (!c.loading) loadNext(c);
}

function loadNext(c) {
  const v = c.pending;
  if (!v) return;
  c.pending = null;
  c.loading = true;
  const img = new Image();
  img.onload = () => { c.lastImage = img; draw(c, v, img); done(); };
  img.onerror = () => { draw(c, v, null); done(); };  // the frame is no longer kept: boxes on black
  img.src = '/api/frame?camera=' + encodeURIComponent(v.camera) + '&seq=' + v.frame;
  function done() { c.loading = false; if (c.pending) loadNext(c); }
}

function draw(c, v, img) {
  const cv = c.canvas, g = cv.getContext('2d');
  if (cv.width !== v.width || cv.height !== v.height) { cv.width = v.width; cv.height = v.height; }
  g.fillStyle = '#000'; g.fillRect(0, 0, cv.width, cv.height);
  if (img) g.drawImage(img, 0, 0, cv.width, cv.height);
  if (explain.checked && v.saliency) heatmap(g, v.saliency, cv.width, cv.height);
  drawRules(c, g, cv.width, cv.height);
  g.lineWidth = 2;
  g.font = '14px system-ui, sans-serif';
  for (const [track, pts] of Object.entries(v.trails || {})) {
    g.strokeStyle = COLORS[Number(track) % COLORS.length];
    g.globalAlpha = 0.7;
    g.beginPath();
    pts.forEach(([x, y], i) => (i ? g.lineTo : g.moveTo).call(g, x * cv.width, y * cv.height));
    g.stroke();
    g.globalAlpha = 1;
  }
  let boxes = 0, actions = 0;
  for (const o of v.objects) {
    const [x1, y1, x2, y2] = o.box;
    const color = o.track ? COLORS[o.track % COLORS.length] : '#9e9e9e';
    g.strokeStyle = color;
    // a box the tracker predicted (the detector skipped this frame) is dashed
    g.setLineDash(o.predicted ? [6, 4] : []);
    g.strokeRect(x1, y1, x2 - x1, y2 - y1);
    g.setLineDash([]);
    const text = (o.track ? '#' + o.track + ' ' : '') + o.label + ' ' + o.score.toFixed(2) + (o.action ? ' · ' + o.action : '');
    const w = g.measureText(text).width + 6;
    g.fillStyle = color; g.fillRect(x1, Math.max(0, y1 - 17), w, 17);
    g.fillStyle = '#000'; g.fillText(text, x1 + 3, Math.max(13, y1 - 4));
    boxes++;
    if (o.action) actions++;
  }
  cv.dataset.boxes = String(boxes);
  cv.dataset.actions = String(actions);
  cv.dataset.frame = String(v.frame);
  cv.dataset.image = img ? 'frame' : 'none';
  cv.dataset.heatmap = explain.checked && v.saliency ? 'shown' : 'off';
  c.lastView = v;
}

// The SSM's implicit attention over the frame's patches (0..1), red where a patch drove the output most.
function heatmap(g, s, w, h) {
  const cw = w / s.cols, ch = h / s.rows;
  for (let r = 0; r < s.rows; r++) {
    for (let k = 0; k < s.cols; k++) {
      const a = s.values[r * s.cols + k];
      g.fillStyle = 'rgba(255,' + Math.round(200 * (1 - a)) + ',0,' + (0.55 * a).toFixed(3) + ')';
      g.fillRect(k * cw, r * ch, cw + 1, ch + 1);
    }
  }
}

function drawChart(c) {
  const cv = c.chart, g = cv.getContext('2d');
  g.clearRect(0, 0, cv.width, cv.height);
  const now = Math.max(0, ...c.history.keys());
  if (!now) return;
  const max = Math.max(1, ...c.history.values());
  g.strokeStyle = '#2c333d'; g.strokeRect(0, 0, cv.width, cv.height);
  g.strokeStyle = '#4fc3f7'; g.lineWidth = 1.5; g.beginPath();
  let first = true;
  for (let s = now - HISTORY_S + 1; s <= now; s++) {
    if (!c.history.has(s)) { first = true; continue; }
    const x = (s - (now - HISTORY_S)) / HISTORY_S * cv.width;
    const y = cv.height - 4 - c.history.get(s) / max * (cv.height - 12);
    if (first) g.moveTo(x, y); else g.lineTo(x, y);
    first = false;
  }
  g.stroke();
  g.fillStyle = '#8b96a5'; g.font = '10px system-ui, sans-serif';
  g.fillText('objects per frame, last 5 min (max ' + max + ')', 4, 10);
}

function removeCamera(id) {
  const c = cams.get(id);
  if (!c) return;
  c.root.remove();
  cams.delete(id);
  document.getElementById('empty').hidden = cams.size > 0;
}

function writeHeaders(extra) {
  const h = Object.assign({}, extra || {});
  if (session.csrf) h['X-CSRF-Token'] = session.csrf;
  return h;
}

async function loadSession() {
  const r = await fetch('/api/session');
  if (!r.ok) return;
  session = await r.json();
  const admin = session.role === 'admin';
  document.getElementById('subscribe').hidden = !admin;
  for (const b of document.querySelectorAll('button.remove')) b.hidden = !admin;
  for (const b of document.querySelectorAll('.rulebar, button.delete-rule')) b.hidden = !admin;
  if (session.auth) {
    const who = document.getElementById('who');
    who.textContent = session.user + ' (' + session.role + ')';
    who.hidden = false;
    document.getElementById('logout').hidden = false;
  }
}

async function unsubscribe(id) {
  const r = await fetch('/api/cameras/' + encodeURIComponent(id), { method: 'DELETE', headers: writeHeaders() });
  document.getElementById('formMsg').textContent = r.ok ? 'removed ' + id : await r.text();
}

document.getElementById('subscribe').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const spec = { id: f.get('id'), url: f.get('url') };
  if (f.get('fps')) spec.fps = Number(f.get('fps'));
  const r = await fetch('/api/cameras', { method: 'POST', headers: writeHeaders({ 'Content-Type': 'application/json' }), body: JSON.stringify(spec) });
  document.getElementById('formMsg').textContent = r.ok ? 'subscribed ' + spec.id : await r.text();
});

explain.addEventListener('change', () => { for (const c of cams.values()) if (c.lastView) draw(c, c.lastView, c.lastImage); });

function connect() {
  const conn = document.getElementById('conn');
  const es = new EventSource('/api/events');
  es.addEventListener('open', () => { if (conn.dataset.stale) return; conn.textContent = 'live'; conn.className = 'badge live'; });
  es.addEventListener('error', () => { conn.textContent = 'reconnecting'; conn.className = 'badge down'; });
  es.addEventListener('snapshot', (e) => { for (const s of JSON.parse(e.data)) applyCamera(s); });
  es.addEventListener('camera', (e) => applyCamera(JSON.parse(e.data)));
  es.addEventListener('frame', (e) => frame(JSON.parse(e.data)));
  es.addEventListener('removed', (e) => removeCamera(JSON.parse(e.data).camera));
  // what the process running the page knows about the pipeline that the events do not say (a CPU fallback)
  es.addEventListener('notice', (e) => {
    const n = JSON.parse(e.data);
    const box = document.getElementById('notice');
    box.textContent = n.text;
    box.hidden = !n.text;
  });
  // the server's Kafka feeds stopped: what the page shows no longer changes, and it says so instead of looking live
  es.addEventListener('health', (e) => {
    const h = JSON.parse(e.data);
    if (h.ok) return;
    conn.textContent = 'stale: ' + h.problem;
    conn.className = 'badge down';
    conn.dataset.stale = 'true';
  });
  es.addEventListener('analytics', (e) => {
    const m = JSON.parse(e.data);
    const c = cams.get(m.camera);
    if (c) applyAnalytics(c, m.analytics); else pendingAnalytics.set(m.camera, m.analytics);
  });
}
loadSession().finally(connect);
