// Torchlight dashboard: runs, a run's live charts, starting runs, plug-ins. Plain DOM, uPlot for the charts.
(function () {
  'use strict';

  const params = new URLSearchParams(location.search);
  if (params.has('token')) {
    sessionStorage.setItem('torchlight.token', params.get('token'));
    history.replaceState(null, '', location.pathname + location.hash); // keep the token out of the address bar
  }
  const token = sessionStorage.getItem('torchlight.token');

  const state = { runs: [], source: null, charts: new Map(), runId: null };
  const view = document.getElementById('view');

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'on') Object.entries(v).forEach(([ev, fn]) => node.addEventListener(ev, fn));
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function notice(text) {
    const n = document.getElementById('notice');
    n.textContent = text || '';
    n.hidden = !text;
  }

  async function getJson(path) {
    const r = await fetch(path, { headers: { Accept: 'application/json' } });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  }

  async function post(path, form) {
    const headers = { Accept: 'application/json' };
    if (token) headers['X-Torchlight-Token'] = token;
    const init = { method: 'POST', headers };
    if (form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      init.body = new URLSearchParams(form).toString();
    }
    const r = await fetch(path, init);
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  }

  function fmt(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(+v.toFixed(4));
    return String(v);
  }

  function statusCell(run) {
    return el('span', { class: 'status status-' + run.status, 'data-status': run.status }, run.status,
      run.reason ? el('span', { class: 'muted' }, ': ' + run.reason) : null);
  }

  // ---- live events -------------------------------------------------------------------------------------------
  function listen(runId) {
    if (state.source) state.source.close();
    const src = new EventSource('/api/events' + (runId ? '?run=' + encodeURIComponent(runId) : ''));
    state.source = src;
    src.onopen = () => { document.getElementById('connection').textContent = 'live'; };
    src.onerror = () => { document.getElementById('connection').textContent = 'reconnecting…'; };
    src.addEventListener('runs', e => { state.runs = JSON.parse(e.data); refresh(); });
    src.addEventListener('metrics', e => addRecords(JSON.parse(e.data)));
  }

  function refresh() {
    const route = location.hash || '#/runs';
    if (route === '#/runs') renderRunsTable();
    else if (route.startsWith('#/run/')) renderRunHeader();
  }

  // ---- runs -------------------------------------------------------------------------------------------------
  function showRuns() {
    listen(null);
    view.replaceChildren(el('h2', {}, 'Runs'), el('div', { id: 'runs' }));
    renderRunsTable();
  }

  function renderRunsTable() {
    const box = document.getElementById('runs');
    if (!box) return;
    if (!state.runs.length) {
      box.replaceChildren(el('p', { class: 'muted' }, 'No runs yet. ', el('a', { href: '#/start' }, 'Start one'), ' or drop a module into deploy/.'));
      return;
    }
    const rows = state.runs.slice().reverse().map(r => el('tr', { 'data-run': r.id },
      el('td', {}, el('a', { href: '#/run/' + r.id }, r.id)),
      el('td', {}, r.module), el('td', {}, r.stage), el('td', {}, statusCell(r)),
      el('td', {}, r.device || ''), el('td', { class: 'num' }, r.epoch), el('td', { class: 'num' }, r.step),
      el('td', { class: 'mono' }, Object.entries(r.metrics).slice(0, 5).map(([k, v]) => k + '=' + fmt(v)).join('  '))));
    box.replaceChildren(el('table', { id: 'runs-table' },
      el('thead', {}, el('tr', {}, ['Run', 'Module', 'Stage', 'Status', 'Device', 'Epoch', 'Step', 'Latest metrics'].map(h => el('th', {}, h)))),
      el('tbody', {}, rows)));
  }

  // ---- one run ----------------------------------------------------------------------------------------------
  async function showRun(id) {
    state.runId = id;
    state.charts.forEach(c => c.plot.destroy());
    state.charts = new Map();
    view.replaceChildren(el('div', { id: 'run-header' }), el('div', { class: 'actions' },
      el('button', { id: 'stop', on: { click: () => act(id, 'stop') } }, 'Stop'),
      el('button', { id: 'resume', on: { click: () => act(id, 'resume') } }, 'Resume from last checkpoint'),
      el('input', { id: 'move-target', placeholder: 'cpu or cuda:0', size: 12, 'aria-label': 'device to move to' }),
      el('button', { id: 'move', on: { click: () => act(id, 'move', { target: document.getElementById('move-target').value }) } }, 'Move'),
      el('span', { id: 'action-error', class: 'error' }), el('span', { id: 'action-note', class: 'muted' })),
      el('h2', {}, 'Metrics'), el('div', { id: 'charts', class: 'charts' }, el('p', { class: 'muted', id: 'no-metrics' }, 'Nothing logged yet.')),
      el('div', { id: 'run-detail' }));
    try {
      const run = await getJson('/api/runs/' + encodeURIComponent(id));
      if (!state.runs.some(r => r.id === run.id)) state.runs.push(run);
      renderDetail(run);
      renderRunHeader();
    } catch (e) {
      view.replaceChildren(el('p', { class: 'error' }, e.message));
      return;
    }
    listen(id);
  }

  function renderRunHeader() {
    const box = document.getElementById('run-header');
    const run = state.runs.find(r => r.id === state.runId);
    if (!box || !run) return;
    box.replaceChildren(el('h2', {}, 'Run ' + run.id + ': ' + run.stage + ' ' + run.module),
      el('p', {}, el('span', { id: 'run-status' }, statusCell(run)), ' · epoch ', el('span', { id: 'run-epoch' }, run.epoch),
        ' · step ', el('span', { id: 'run-step' }, run.step), run.device ? ' · on ' + run.device : '',
        run.dir ? el('span', { class: 'muted mono' }, ' · ' + run.dir) : null));
    document.getElementById('stop').disabled = run.finished;
    document.getElementById('move').disabled = run.finished || run.stage !== 'fit';
    const resume = document.getElementById('resume');
    if (resume) resume.disabled = !(run.finished && run.stage === 'fit');
    if (run.finished && !state.detailFinal) { state.detailFinal = true; reloadDetail(run.id); }
  }

  async function reloadDetail(id) {
    try { renderDetail(await getJson('/api/runs/' + encodeURIComponent(id))); } catch (e) { /* shown on the next look */ }
  }

  function renderDetail(run) {
    const box = document.getElementById('run-detail');
    if (!box) return;
    state.detailFinal = run.finished;
    const q = run.request || { trainerArgs: {}, hparams: {} };
    const kv = obj => Object.entries(obj).map(([k, v]) => el('tr', {}, el('td', { class: 'mono' }, k), el('td', { class: 'mono' }, v)));
    box.replaceChildren(
      el('h2', {}, 'Hyperparameters'),
      Object.keys(q.hparams).length ? el('table', { id: 'hparams' }, el('tbody', {}, kv(q.hparams))) : el('p', { class: 'muted' }, 'none given (the module\'s defaults; see hparams.yaml)'),
      el('h2', {}, 'Trainer arguments'),
      Object.keys(q.trainerArgs).length ? el('table', {}, el('tbody', {}, kv(q.trainerArgs))) : el('p', { class: 'muted' }, 'defaults'),
      el('h2', {}, 'Files'),
      run.files.length ? el('table', { id: 'files' }, el('tbody', {}, run.files.map(f => el('tr', {},
        el('td', { class: 'mono' }, el('a', { href: '/files/' + run.id + '/' + f.path.split('/').map(encodeURIComponent).join('/') }, f.path)),
        el('td', { class: 'num' }, f.size + ' B'))))) : el('p', { class: 'muted' }, 'none yet'),
      run.plugins.length ? el('p', { class: 'muted' }, 'attached: ' + run.plugins.join(', ')) : null);
    const resume = document.getElementById('resume');
    if (resume) resume.disabled = !run.resumable;
  }

  async function act(id, action, form) {
    const err = document.getElementById('action-error');
    const note = document.getElementById('action-note');
    err.textContent = '';
    note.textContent = '';
    try {
      const run = await post('/api/runs/' + encodeURIComponent(id) + '/' + action, form);
      if (action === 'resume') location.hash = '#/run/' + run.id;
      if (action === 'move') note.textContent = 'moves to ' + form.target + ' at the next training step (see run.log)';
    } catch (e) {
      err.textContent = e.message;
    }
  }

  function addRecords(batch) {
    if (batch.run !== state.runId) return;
    const box = document.getElementById('charts');
    if (!box) return;
    const touched = new Set();
    for (const rec of batch.records) {
      for (const [name, value] of Object.entries(rec.values)) {
        if (name === 'epoch' || value === null) continue;
        let chart = state.charts.get(name);
        if (!chart) chart = newChart(box, name);
        chart.xs.push(rec.step);
        chart.ys.push(value);
        touched.add(name);
      }
    }
    touched.forEach(name => {
      const c = state.charts.get(name);
      c.plot.setData([c.xs, c.ys]);
      c.node.setAttribute('data-points', c.xs.length);
    });
  }

  function newChart(box, name) {
    const empty = document.getElementById('no-metrics');
    if (empty) empty.remove();
    const holder = el('div', { class: 'chart', 'data-metric': name, 'data-points': 0 }, el('h3', {}, name));
    box.append(holder);
    const plot = new uPlot({
      width: 420, height: 220,
      scales: { x: { time: false } },
      axes: [{ label: 'step' }, {}],
      series: [{ label: 'step' }, { label: name, stroke: '#6d3fd1', width: 1.5, points: { show: false } }],
      legend: { show: true },
    }, [[], []], holder);
    const chart = { plot, xs: [], ys: [], node: holder };
    state.charts.set(name, chart);
    return chart;
  }

  // ---- start a run ------------------------------------------------------------------------------------------
  async function showStart() {
    listen(null);
    const modules = el('select', { id: 'module', name: 'module' });
    const form = el('form', { class: 'start', id: 'start-form' },
      el('label', { for: 'module' }, 'Module'), modules,
      el('label', { for: 'stage' }, 'Stage'),
      el('select', { id: 'stage', name: 'stage' }, ['fit', 'validate', 'test', 'predict'].map(s => el('option', { value: s }, s))),
      el('label', { for: 'args' }, 'Arguments'),
      el('input', { id: 'args', name: 'args', placeholder: 'max_epochs=3 hparams.lr=0.01 (as on the command line)' }),
      el('span'), el('div', {}, el('button', { id: 'start-submit', type: 'submit' }, 'Start'), ' ', el('span', { id: 'start-error', class: 'error' })));
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      document.getElementById('start-error').textContent = '';
      try {
        const run = await post('/api/runs', new FormData(form));
        location.hash = '#/run/' + run.id;
      } catch (e) {
        document.getElementById('start-error').textContent = e.message;
      }
    });
    view.replaceChildren(el('h2', {}, 'Start a run'), form);
    try {
      const inv = await getJson('/api/plugins');
      modules.replaceChildren(...inv.modules.map(m => el('option', { value: m.name }, m.name + ' (' + m.bundle + ' ' + m.version + ')')));
    } catch (e) {
      document.getElementById('start-error').textContent = e.message;
    }
  }

  // ---- plug-ins and modules ---------------------------------------------------------------------------------
  async function showPlugins() {
    listen(null);
    view.replaceChildren(el('h2', {}, 'Plug-ins'), el('div', { id: 'plugins' }, 'loading…'), el('h2', {}, 'Modules'), el('div', { id: 'modules' }));
    try {
      const inv = await getJson('/api/plugins');
      document.getElementById('plugins').replaceChildren(el('table', { id: 'plugins-table' },
        el('thead', {}, el('tr', {}, ['Kind', 'Name', 'Bundle', 'Version', 'State'].map(h => el('th', {}, h)))),
        el('tbody', {}, inv.plugins.map(p => el('tr', { 'data-kind': p.kind, 'data-name': p.name },
          el('td', {}, p.kind), el('td', {}, p.name), el('td', { class: 'mono' }, p.bundle), el('td', {}, p.version),
          el('td', {}, p.availability || (p.attachedTo.length ? 'attached to run ' + p.attachedTo.join(', ') : '')))))));
      document.getElementById('modules').replaceChildren(inv.modules.length ? el('table', { id: 'modules-table' },
        el('thead', {}, el('tr', {}, ['Name', 'Bundle', 'Version', 'State'].map(h => el('th', {}, h)))),
        el('tbody', {}, inv.modules.map(m => el('tr', { 'data-module': m.name }, el('td', {}, m.name), el('td', { class: 'mono' }, m.bundle),
          el('td', {}, m.version), el('td', {}, (m.activeRuns ? m.activeRuns + ' run(s) active' : 'idle') + (m.autorun ? ', autorun' : ''))))))
        : el('p', { class: 'muted' }, 'No modules: drop a module bundle into deploy/.'));
    } catch (e) {
      document.getElementById('plugins').replaceChildren(el('p', { class: 'error' }, e.message));
    }
  }

  // ---- features ---------------------------------------------------------------------------------------------
  async function showFeatures() {
    listen(null);
    view.replaceChildren(el('h2', {}, 'Features'), el('p', { class: 'muted' },
      'The distribution\'s OSGi features. Installing or uninstalling one lasts for this container\'s life.'),
      el('p', { id: 'feature-error', class: 'error' }), el('div', { id: 'features' }, 'loading…'));
    await renderFeatures();
  }

  async function renderFeatures() {
    const box = document.getElementById('features');
    if (!box) return;
    try {
      const all = await getJson('/api/features');
      box.replaceChildren(el('table', { id: 'features-table' },
        el('thead', {}, el('tr', {}, ['Name', 'State', 'Feature', 'Bundles', ''].map(h => el('th', {}, h)))),
        el('tbody', {}, all.map(f => el('tr', { 'data-feature': f.name, 'data-installed': String(f.installed) },
          el('td', {}, f.name), el('td', { class: 'feature-state' }, f.installed ? 'installed' : 'available'),
          el('td', {}, f.title, el('div', { class: 'muted' }, f.fixedBecause ? 'fixed: ' + f.fixedBecause : f.description)),
          el('td', { class: 'mono' }, f.bundles.join(' ')),
          el('td', {}, el('button', { class: 'feature-action', disabled: !!f.fixedBecause,
            on: { click: () => changeFeature(f.name, f.installed ? 'uninstall' : 'install') } }, f.installed ? 'Uninstall' : 'Install')))))));
    } catch (e) {
      box.replaceChildren(el('p', { class: 'error' }, e.message));
    }
  }

  async function changeFeature(name, action) {
    const err = document.getElementById('feature-error');
    err.textContent = '';
    try {
      await post('/api/features/' + encodeURIComponent(name) + '/' + action);
    } catch (e) {
      err.textContent = e.message;
    }
    await renderFeatures();
  }

  // ---- routing ----------------------------------------------------------------------------------------------
  function route() {
    const hash = location.hash || '#/runs';
    document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', hash.startsWith(a.getAttribute('href'))));
    state.runId = null;
    if (hash.startsWith('#/run/')) showRun(decodeURIComponent(hash.substring(6)));
    else if (hash === '#/start') showStart();
    else if (hash === '#/plugins') showPlugins();
    else if (hash === '#/features') showFeatures();
    else showRuns();
  }

  if (!token) notice('Read-only: open the address with ?token=… that the shell printed (or bin/torchlight info) to start and stop runs.');
  window.addEventListener('hashchange', route);
  route();
})();
