// The admin page: one page per hash (#overview, #studies, #study/ID, #failures, #audit, #configuration), each drawn
// from the JSON API under /admin/api and refreshed every second. Text goes in through textContent only.
'use strict';

const api = {
  token: null,

  async get(path) {
    const response = await fetch(`/admin/api/${path}`, { credentials: 'same-origin' });
    if (response.status === 401) {
      window.location.assign('/admin/login');
      throw new Error('signed out');
    }
    if (!response.ok) {
      throw new Error(`${path}: HTTP ${response.status}`);
    }
    return response.json();
  },

  async post(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': api.token },
      body: JSON.stringify(body ?? {}),
    });
    if (response.status === 401) {
      window.location.assign('/admin/login');
      throw new Error('signed out');
    }
    return response;
  },
};

// ---- small DOM helpers ----

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const pad = (n) => String(n).padStart(2, '0');

function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function duration(seconds) {
  const s = Math.round(seconds);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} days`;
}

function bytes(n) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

const score = (s) => (s === null || s === undefined ? '—' : s.toFixed(3));

function pill(text, kind) {
  return el('span', { class: `pill ${kind ?? text.replace(/\s+/g, '-')}` }, text);
}

function table(headers, rows, attributes) {
  return el('table', attributes ?? {},
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: headers.length, class: 'muted empty' }, 'Nothing to show.'))));
}

function card(title, ...body) {
  return el('section', { class: 'card' }, el('h2', {}, title), ...body);
}

function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

// ---- pages ----

function throughputChart(buckets) {
  const width = 1200, height = 150, left = 34, bottom = 20, top = 8;
  const max = Math.max(1, ...buckets.map((b) => Math.max(b.received, b.delivered)));
  const step = (width - left) / buckets.length;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Instances received and documents delivered per hour over the last 24 hours');
  const add = (tag, attrs, text) => {
    const node = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    svg.append(node);
  };
  const y = (v) => height - bottom - ((height - bottom - top) * v) / max;
  add('line', { x1: left, y1: y(0), x2: width, y2: y(0), class: 'axis' });
  add('text', { x: left - 4, y: y(max) + 4, class: 'tick', 'text-anchor': 'end' }, max);
  add('text', { x: left - 4, y: y(0), class: 'tick', 'text-anchor': 'end' }, 0);
  buckets.forEach((b, i) => {
    const x = left + i * step;
    add('rect', { x: x + 1, y: y(b.received), width: step / 2 - 1, height: y(0) - y(b.received), class: 'received' });
    add('rect', { x: x + step / 2, y: y(b.delivered), width: step / 2 - 1, height: y(0) - y(b.delivered), class: 'delivered' });
    if (i % 2 === 1) {
      add('text', { x: x + step / 2, y: height - 5, class: 'tick', 'text-anchor': 'middle' }, `${pad(new Date(b.start).getHours())}:00`);
    }
  });
  return el('figure', { class: 'chart-box' }, svg,
    el('figcaption', {}, pill('received', 'received'), ' instances received, ', pill('delivered', 'delivered'), ' documents delivered, per hour'));
}

async function overviewPage() {
  const o = await api.get('overview');
  const a = o.agent, d = o.dicom, day = o.last24h;
  const diskShare = o.disk.totalBytes ? o.disk.freeBytes / o.disk.totalBytes : 0;
  const low = o.disk.freeBytes < o.disk.minimumFreeBytes;
  const skipped = Object.entries(day.skippedByReason).map(([r, n]) => `${r} ${n}`).join(', ');
  const half = (title, ...body) => el('section', { class: 'card half' }, el('h2', {}, title), ...body);
  return el('div', { class: 'grid' },
    el('section', { class: 'card wide' }, el('h2', {}, o.agents.length > 1 ? `Agents (${o.agents.length})` : 'Agent'), agentsTable(o)),
    half('Model', o.model
      ? facts([['Package', o.model.name], ['Version', o.model.version], ['Task', o.model.task], ['Device', o.model.device]])
      : el('p', { class: 'error' }, 'No model loaded.')),
    card('Last 24 hours', facts([
      ['Received', day.received], ['Skipped', skipped ? `${day.skipped} (${skipped})` : day.skipped],
      ['Processed', day.completed + day.undelivered], ['Delivered', `${day.delivered} documents`],
      ['Failed', day.failed], ['Dead letters', day.deadLetters]])),
    card('Spool disk',
      facts([['Free', `${bytes(o.disk.freeBytes)} of ${bytes(o.disk.totalBytes)}`], ['Minimum', bytes(o.disk.minimumFreeBytes)], ['Folder', o.disk.root]]),
      el('div', { class: `meter${low ? ' low' : ''}` }, el('div', { class: 'fill', 'data-share': diskShare.toFixed(3) }))),
    el('section', { class: 'card wide' }, el('h2', {}, 'Queues'), el('dl', { class: 'facts quads' }, [
      ...Object.entries(o.queues).map(([q, n]) => [q, n]),
      ['outbox pending', o.outbox.pending], ['dead letters', o.outbox.deadLetters],
      ['destinations', o.outbox.destinations.join(', ') || 'none']].flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]))),
    el('section', { class: 'card wide' }, el('h2', {}, 'Throughput, last 24 hours'), throughputChart(o.throughput)));
}

// Every agent of the site (several share a PostgreSQL store) or this one: heartbeat, alive or stale, claims, model.
function agentsTable(o) {
  const a = o.agent, d = o.dicom;
  const claims = (x) => (x.jobClaims === null || x.jobClaims === undefined ? '—' : `${x.jobClaims} jobs, ${x.outboxClaims} documents`);
  const rows = o.agents.map((x) => el('tr', { 'data-agent-id': x.agentId },
    el('td', {}, x.agentId, x.self ? el('span', { class: 'muted' }, ' (this agent)') : null),
    el('td', {}, x.model ?? '—'),
    el('td', { class: 'agent-state' }, pill(x.state, x.state === 'alive' ? 'ok' : 'bad')),
    el('td', {}, time(x.lastHeartbeat)),
    el('td', {}, time(x.startedAt)),
    el('td', { class: 'claims' }, claims(x)),
    el('td', {}, x.self ? [`${d.aeTitle} :${d.port} `, d.listening ? pill('listening', 'ok') : pill('not listening', 'bad')] : '—')));
  return el('div', {},
    table(['Agent', 'Model package', 'State', 'Last heartbeat', 'Started', 'Claims held', 'DICOM'], rows, { id: 'agents', class: 'compact' }),
    el('p', { class: 'muted small' }, `This agent: version ${a.version ?? '—'} on ${a.host}, up for ${duration(a.uptimeSeconds)}.`));
}

function stateCell(s) {
  const kind = { completed: 'ok', undelivered: 'bad', failed: 'bad', skipped: 'muted-pill' }[s.state] ?? 'busy';
  return el('td', {}, pill(s.state, kind), s.reason ? el('span', { class: 'muted' }, ` ${s.reason}`) : null);
}

// Thumbnails are served with no-store: each one is fetched once per page load and its <img> reused across redraws.
const thumbnails = new Map();

function thumbnail(s, size) {
  if (!s.thumbnail) return el('span', { class: 'thumb none' }, '—');
  const key = `${s.id}/${s.version}/${size}`;
  if (!thumbnails.has(key)) {
    if (thumbnails.size > 600) thumbnails.clear();
    // A job scored before thumbnails were kept has none (404): no broken-image icon then.
    thumbnails.set(key, el('img', { class: `thumb ${size}`, src: s.thumbnail, alt: `film of job ${s.id}`, onerror: (e) => { e.target.hidden = true; } }));
  }
  return thumbnails.get(key);
}

function accession(s) {
  if (!s.accession) return el('span', { class: 'muted' }, '—');
  return s.accession.clear
    ? el('span', { class: 'accession clear' }, s.accession.value)
    : el('span', { class: 'accession hash', title: 'salted hash of the accession number (Admin:ShowPatientData shows it in clear)' }, s.accession.value);
}

async function studiesPage() {
  const studies = await api.get('studies?max=100');
  const rows = studies.map((s) => el('tr', { 'data-job-id': s.id, class: 'link-row', onclick: () => { location.hash = `#study/${s.id}`; } },
    el('td', { class: 'thumb-cell' }, thumbnail(s, 'small')),
    el('td', {}, time(s.receivedAt)),
    el('td', {}, el('a', { href: `#study/${s.id}` }, s.id)),
    el('td', { class: 'accession-cell' }, accession(s)),
    el('td', { class: 'uid', title: s.sopInstanceUid }, s.sopInstanceUid),
    el('td', {}, s.view ?? '—'),
    el('td', { class: 'num score' }, score(s.score)),
    el('td', {}, s.call ?? '—'),
    el('td', {}, s.outOfDistribution ? pill('OOD', 'warn') : (s.outOfDistribution === false ? 'no' : '—')),
    el('td', {}, s.delivery),
    stateCell(s)));
  return el('div', {},
    el('h1', {}, 'Recent studies'),
    table(['Film', 'Received', 'Job', 'Accession', 'SOP Instance UID', 'View', 'Score', 'Call', 'OOD', 'Delivery', 'State'], rows, { id: 'studies' }));
}

async function studyPage(id) {
  const s = await api.get(`studies/${id}`);
  const steps = s.timeline.map((e) => el('li', { class: `step ${e.outcome}` },
    el('span', { class: 'stage' }, e.stage), el('span', { class: 'when' }, time(e.at)), pill(e.outcome),
    e.detail ? el('span', { class: 'detail' }, e.detail) : null));
  const patient = s.patient
    ? card('Patient (Admin:ShowPatientData)', s.patient.available
      ? facts([['Name', s.patient.patientName ?? '—'], ['Patient ID', s.patient.patientId ?? '—'], ['Accession', s.patient.accessionNumber ?? '—']])
      : el('p', { class: 'muted' }, s.patient.why))
    : null;
  return el('div', {},
    el('p', {}, el('a', { href: '#studies' }, '← Recent studies')),
    el('h1', {}, `Study — job ${s.id}`),
    el('div', { class: 'grid two' },
      card('Summary', el('div', { class: 'summary' }, thumbnail(s, 'large'), facts([
        ['Accession', accession(s)], ['SOP Instance UID', el('span', { class: 'uid-full' }, s.sopInstanceUid)], ['State', pill(s.state)], ['Received', time(s.receivedAt)],
        ['Score', score(s.score)], ['Call', s.call ?? '—'], ['Out of distribution', s.outOfDistribution ? 'yes' : (s.outOfDistribution === false ? 'no' : '—')],
        ['Lossy source', s.lossySource ? 'yes' : (s.lossySource === false ? 'no' : '—')], ['Model', s.model ?? '—'], ['Delivery', s.delivery]]))),
      card('Timeline', el('ol', { class: 'timeline', id: 'timeline' }, steps)),
      patient),
    card('Deliveries', deliveriesTable(s.deliveries, false)));
}

function deliveriesTable(items, selectable) {
  const chosen = selected['dead-letters'];
  const rows = items.map((d) => el('tr', { 'data-item-id': d.id },
    selectable ? el('td', {}, checkbox(chosen, d.id, 'select-item', `select item ${d.id}`)) : null,
    el('td', {}, d.id),
    el('td', {}, el('a', { href: `#study/${d.jobId}` }, d.jobId)),
    el('td', {}, d.document),
    el('td', {}, d.destination),
    selectable ? null : el('td', {}, pill(d.state)),
    el('td', { class: 'num' }, d.attempts),
    el('td', {}, time(d.queuedAt)),
    el('td', {}, time(d.settledAt)),
    el('td', { class: 'reason' }, d.lastError ?? ''),
    selectable ? actionButtons('dead-letters', d.id) : null));
  const headers = selectable
    ? [selectAllBox('dead-letters', items, 'select-all', 'select-item'),
      'Item', 'Job', 'Document', 'Destination', 'Attempts', 'Queued', 'Given up', 'Reason', '']
    : ['Item', 'Job', 'Document', 'Destination', 'State', 'Attempts', 'Queued', 'Settled', 'Last error'];
  return table(headers, rows, { id: selectable ? 'dead-letters' : 'deliveries' });
}

function failedJobsTable(jobs) {
  const chosen = selected['failed-jobs'];
  const rows = jobs.map((j) => el('tr', { 'data-job-id': j.id },
    el('td', {}, checkbox(chosen, j.id, 'select-job', `select job ${j.id}`)),
    el('td', {}, el('a', { href: `#study/${j.id}` }, j.id)),
    el('td', { class: 'uid', title: j.sopInstanceUid }, j.sopInstanceUid),
    el('td', {}, time(j.receivedAt)),
    el('td', {}, time(j.updatedAt)),
    el('td', {}, j.reason ?? ''),
    el('td', { class: 'reason' }, j.detail ?? ''),
    actionButtons('failed-jobs', j.id)));
  return table([selectAllBox('failed-jobs', jobs, 'select-all-jobs', 'select-job'), 'Job', 'SOP Instance UID', 'Received', 'Failed', 'Reason', 'Detail', ''],
    rows, { id: 'failed-jobs' });
}

// What is ticked on the Failures page, per list; kept across the page's redraws.
const selected = { 'dead-letters': new Set(), 'failed-jobs': new Set() };
const lastAction = { 'dead-letters': null, 'failed-jobs': null };

function checkbox(chosen, id, kind, label) {
  return el('input', {
    type: 'checkbox', class: kind, 'aria-label': label, checked: chosen.has(id),
    onchange: (e) => { if (e.target.checked) chosen.add(id); else chosen.delete(id); },
  });
}

function selectAllBox(list, items, id, kind) {
  return el('input', {
    type: 'checkbox', id, 'aria-label': 'select all',
    onchange: (e) => {
      for (const x of items) { if (e.target.checked) selected[list].add(x.id); else selected[list].delete(x.id); }
      document.querySelectorAll(`.${kind}`).forEach((box) => { box.checked = e.target.checked; });
    },
  });
}

function actionButtons(list, id) {
  return el('td', { class: 'actions' },
    el('button', { type: 'button', class: 'retry', onclick: () => act(list, 'retry', [id]) }, 'Retry'),
    el('button', { type: 'button', class: 'cancel secondary', onclick: () => act(list, 'cancel', [id]) }, 'Cancel'));
}

async function act(list, action, ids) {
  if (!ids.length) return;
  const what = list === 'dead-letters' ? 'item' : 'job';
  const response = await api.post(`/admin/api/${list}/${action}`, { ids });
  if (!response.ok) {
    lastAction[list] = { ok: false, text: `${action}: HTTP ${response.status}` };
  } else {
    const outcomes = await response.json();
    const done = outcomes.filter((o) => o.done).length;
    const problems = outcomes.filter((o) => !o.done).map((o) => `${what} ${o.id}: ${o.outcome}`);
    lastAction[list] = { ok: problems.length === 0, text: `${action === 'retry' ? 'Retried' : 'Cancelled'} ${done} of ${outcomes.length}.${problems.length ? ' ' + problems.join('; ') : ''}` };
  }
  ids.forEach((id) => selected[list].delete(id));
  await render();
}

function toolbar(list, suffix) {
  const result = lastAction[list];
  return el('div', { class: 'toolbar' },
    el('button', { type: 'button', id: `retry-selected${suffix}`, onclick: () => act(list, 'retry', [...selected[list]]) }, 'Retry selected'),
    el('button', { type: 'button', id: `cancel-selected${suffix}`, class: 'secondary', onclick: () => act(list, 'cancel', [...selected[list]]) }, 'Cancel selected'),
    result ? el('span', { id: `action-result${suffix}`, class: result.ok ? 'ok-text' : 'error' }, result.text) : null);
}

function forgetGone(list, items) {
  const ids = new Set(items.map((x) => x.id));
  [...selected[list]].forEach((id) => { if (!ids.has(id)) selected[list].delete(id); });
}

async function failuresPage() {
  const [letters, jobs] = await Promise.all([api.get('dead-letters'), api.get('failed-jobs')]);
  forgetGone('dead-letters', letters);
  forgetGone('failed-jobs', jobs);
  return el('div', {},
    el('h1', {}, 'Failures'),
    el('h2', { class: 'section' }, `Processing failures (${jobs.length})`),
    el('p', { class: 'muted' }, 'Instances whose processing failed for good in a stage (damaged pixel data, a file missing from the spool, …). ',
      'Retry processes one again from its spool copy; Cancel takes it off this list. Every action is written to the audit log.'),
    toolbar('failed-jobs', '-jobs'),
    failedJobsTable(jobs),
    el('h2', { class: 'section' }, `Dead letters (${letters.length})`),
    el('p', { class: 'muted' }, 'Documents a destination refused for good, or that were not delivered within Outbox:MaxAge. ',
      'Retry sends one again now; Cancel gives up on it (its files stay in the dead-letter folder).'),
    toolbar('dead-letters', ''),
    deliveriesTable(letters, true));
}

async function auditPage() {
  const entries = await api.get('audit?max=200');
  const rows = entries.map((e) => el('tr', {},
    el('td', {}, time(e.at)), el('td', {}, e.user), el('td', {}, e.action), el('td', {}, e.target), el('td', {}, e.outcome), el('td', {}, e.client)));
  return el('div', {}, el('h1', {}, 'Audit log'),
    el('p', { class: 'muted' }, 'Every sign-in, retry and cancel: who, when, what, and what came of it.'),
    table(['When', 'User', 'Action', 'Target', 'Outcome', 'Client'], rows, { id: 'audit' }));
}

async function configurationPage() {
  const entries = await api.get('configuration');
  const rows = entries.map((e) => el('tr', {},
    el('td', { class: 'key' }, e.key), el('td', { class: 'value' }, e.value, e.masked ? pill('secret', 'muted-pill') : null)));
  return el('div', {}, el('h1', {}, 'Effective configuration'),
    el('p', { class: 'muted' }, 'Read only: the embedded defaults, the --config file and CXRAGENT_ variables, merged. Secrets are masked. Change the file and restart the service to change them.'),
    table(['Key', 'Value'], rows, { id: 'configuration' }));
}

// ---- routing and refresh ----

const pages = {
  overview: { draw: overviewPage, live: true },
  studies: { draw: studiesPage, live: true },
  study: { draw: studyPage, live: true },
  failures: { draw: failuresPage, live: true },
  audit: { draw: auditPage, live: true },
  configuration: { draw: configurationPage, live: false },
};

function route() {
  const [name, arg] = (location.hash.slice(1) || 'overview').split('/');
  return { name: pages[name] ? name : 'overview', arg };
}

let drawing = false;

async function render() {
  if (drawing) return;
  drawing = true;
  const { name, arg } = route();
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === (name === 'study' ? 'studies' : name)));
  try {
    const content = await pages[name].draw(arg);
    const page = document.getElementById('page');
    page.replaceChildren(content);
    page.dataset.page = name;
    page.querySelectorAll('.fill[data-share]').forEach((f) => { f.style.width = `${Math.round(Number(f.dataset.share) * 100)}%`; });
    document.getElementById('updated').textContent = `Updated ${time(new Date().toISOString())}`;
  } catch (error) {
    document.getElementById('updated').textContent = `Could not update: ${error.message}`;
  } finally {
    drawing = false;
  }
  const failures = await Promise.all([api.get('dead-letters?max=5000'), api.get('failed-jobs?max=5000')]).catch(() => null);
  const badge = document.getElementById('failure-count');
  if (failures) {
    const count = failures[0].length + failures[1].length;
    badge.textContent = count;
    badge.hidden = count === 0;
  }
}

async function start() {
  const me = await api.get('me');
  document.getElementById('who').textContent = me.user;
  api.token = (await (await fetch('/admin/antiforgery', { credentials: 'same-origin' })).json()).token;
  document.getElementById('sign-out').addEventListener('click', async () => {
    await api.post('/admin/logout');
    window.location.assign('/admin/login');
  });
  window.addEventListener('hashchange', () => { lastAction['dead-letters'] = null; lastAction['failed-jobs'] = null; render(); });
  await render();
  setInterval(() => { if (pages[route().name].live && !document.hidden) render(); }, 1000);
}

start();
