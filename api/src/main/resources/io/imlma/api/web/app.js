'use strict';
// The registry page: versions, metric and ΔM charts, tuning trials, comparison, alarms. Talks only to this API.
// Every number says which rows it was computed on; only numbers on the same rows are compared (coloured).

const $ = (id) => document.getElementById(id);
const charts = {};
let currentModel = null;
let currentVersions = [];

function chart(id) {
  if (!charts[id]) {
    charts[id] = echarts.init($(id), null, { renderer: 'canvas' });
    window.addEventListener('resize', () => charts[id].resize());
  }
  return charts[id];
}

function say(text, isError) {
  $('message').textContent = text || '';
  $('message').className = isError ? 'error' : '';
}

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.error || (response.status + ' ' + response.statusText));
  }
  return body;
}

async function change(path, body) {
  const headers = { 'Content-Type': 'application/json' };
  const token = $('token').value.trim();
  if (token) {
    headers.Authorization = 'Bearer ' + token;
    sessionStorage.setItem('imlma-token', token);
  }
  return api(path, { method: 'POST', headers, body: JSON.stringify(body || {}) });
}

const fmt = (x, digits = 4) => (x === null || x === undefined || Number.isNaN(x)) ? '–' : Number(x).toFixed(digits);
const pct = (x) => (x === null || x === undefined) ? '–' : (x >= 0 ? '+' : '') + (100 * x).toFixed(2) + ' %';
const day = (iso) => iso ? iso.substring(0, 10) : '–';
const time = (iso) => iso ? iso.replace('T', ' ').substring(0, 19) : '–';

// Which rows a number was computed on, in words.
const rowsText = (rows) => rows
  ? `${rows.count} rows, targets ${time(rows.firstTarget)} … ${time(rows.lastTarget)} UTC` : 'rows not recorded';
// ΔM = (M − M_base) / |M_base|, as the registry computes it
const relative = (base, value) => base === 0 ? null : (value - base) / Math.abs(base);

// For errors lower is better, for R² higher is better. Only a like-for-like delta is coloured (options.neutral: the
// two numbers come from different rows), and a rejected version's gain is shown as not enough, never as better.
function deltaCell(delta, lowerIsBetter, options = {}) {
  const td = document.createElement('td');
  td.className = 'num';
  td.textContent = pct(delta);
  if (options.title) td.title = options.title;
  if (delta !== null && delta !== undefined && delta !== 0 && !options.neutral) {
    const better = (delta < 0) === lowerIsBetter;
    td.classList.add(better ? (options.rejected ? 'insufficient' : 'better') : 'worse');
    if (better && options.rejected) td.title = 'better by less than the replacement policy asks; ' + (options.title || '');
  }
  return td;
}

function spanCell(text, title) {
  const td = cell(text, 'unmeasured');
  td.colSpan = 3;
  td.title = title || '';
  return td;
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function renderVersions(versions) {
  const tbody = $('versions-table').querySelector('tbody');
  tbody.replaceChildren();
  for (const v of [...versions].reverse()) {
    const tr = document.createElement('tr');
    tr.dataset.version = v.version;
    const status = document.createElement('span');
    status.className = 'status status-' + v.status;
    status.textContent = v.status.toLowerCase();
    const statusCell = document.createElement('td');
    statusCell.append(status);
    const on = v.computedOn || {};
    const testRows = cell(v.testRows ? v.testRows.count + ' rows' : '–', 'num');
    testRows.title = on.metrics || '';
    const c = v.deltaVsChampion;
    const judged = { rejected: v.status === 'REJECTED', title: on.deltaVsChampion };
    const vsChampion = c
      ? [deltaCell(c.mse, true, judged), deltaCell(c.mae, true, judged), deltaCell(c.r2, false, judged)]
      : [spanCell(v.championAtRegistration ? 'not measured on the same rows' : 'no champion', on.deltaVsChampion)];
    const d = v.deltaVsPrevious || {};
    const trend = { neutral: true, title: on.deltaVsPrevious };
    tr.append(cell('v' + v.version), statusCell, cell(time(v.createdAt).substring(0, 16)), cell(v.trainer),
      cell(day(v.dataFrom) + ' … ' + day(v.dataTo)), testRows,
      cell(fmt(v.metrics.mse), 'num'), cell(fmt(v.metrics.mae), 'num'), cell(fmt(v.metrics.r2), 'num'),
      ...vsChampion, deltaCell(d.mse, true, trend), deltaCell(d.mae, true, trend), deltaCell(d.r2, false, trend));
    const actions = document.createElement('td');
    actions.className = 'actions';
    if (v.status !== 'CHAMPION') {
      const promote = document.createElement('button');
      promote.textContent = v.status === 'REJECTED' ? 'Roll back to' : 'Promote';
      promote.onclick = () => act(v.status === 'REJECTED'
        ? change(`/models/${enc(currentModel)}/rollback`, { toVersion: v.version, by: 'web page' })
        : change(`/models/${enc(currentModel)}/versions/${v.version}/promote`, { by: 'web page' }),
        `v${v.version} is now the champion`);
      actions.append(promote);
    }
    if (v.status === 'CANDIDATE' || v.status === 'REJECTED') {
      const archive = document.createElement('button');
      archive.className = 'secondary';
      archive.textContent = 'Archive';
      archive.onclick = () => act(change(`/models/${enc(currentModel)}/versions/${v.version}/archive`,
        { by: 'web page' }), `v${v.version} archived`);
      actions.append(archive);
    }
    tr.append(actions);
    tbody.append(tr);
  }
  const champion = versions.find((v) => v.status === 'CHAMPION');
  $('champion-badge').textContent = champion ? `champion: v${champion.version}` : 'no champion';
}

function renderMetricCharts(versions) {
  const labels = versions.map((v) => 'v' + v.version);
  const champion = (v, key) => v.championMetrics ? v.championMetrics[key] : null;
  // every point of a version is on that version's test rows: the tooltip says which
  const onRows = (points) => {
    const v = versions[points[0].dataIndex];
    return `v${v.version} · on v${v.version}'s test rows: ${rowsText(v.testRows)}<br>`
      + points.map((p) => `${p.marker}${p.seriesName}: ${p.value === null || p.value === undefined ? '–' : p.value}`)
        .join('<br>');
  };
  chart('chart-metrics').setOption({
    animation: false,
    tooltip: { trigger: 'axis', formatter: onRows },
    legend: { data: ['MAE', 'champion MAE (same rows)', 'R²', 'champion R² (same rows)'] },
    grid: { left: 50, right: 50, bottom: 30, top: 40 },
    xAxis: { type: 'category', data: labels },
    yAxis: [{ type: 'value', name: 'MAE', scale: true }, { type: 'value', name: 'R²', scale: true }],
    series: [
      { name: 'MAE', type: 'line', data: versions.map((v) => v.metrics.mae) },
      { name: 'champion MAE (same rows)', type: 'line', connectNulls: false, lineStyle: { type: 'dashed' },
        data: versions.map((v) => champion(v, 'mae')) },
      { name: 'R²', type: 'line', yAxisIndex: 1, data: versions.map((v) => v.metrics.r2) },
      { name: 'champion R² (same rows)', type: 'line', yAxisIndex: 1, lineStyle: { type: 'dashed' },
        data: versions.map((v) => champion(v, 'r2')) },
    ],
  }, true);
  const delta = (v, key) => (v.deltaVsChampion && v.deltaVsChampion[key] !== null)
    ? +(100 * v.deltaVsChampion[key]).toFixed(3) : null;
  chart('chart-deltas').setOption({
    animation: false,
    tooltip: { trigger: 'axis', formatter: (points) => {
      const v = versions[points[0].dataIndex];
      const head = v.deltaVsChampion
        ? `v${v.version} vs champion v${v.championAtRegistration}, both on v${v.version}'s test rows: ${rowsText(v.testRows)}`
        : `v${v.version}: ${v.championAtRegistration ? 'not measured on the same rows' : 'no champion'}`;
      return head + '<br>' + points.map((p) => `${p.marker}${p.seriesName}: ${p.value === null ? '–' : p.value + ' %'}`)
        .join('<br>');
    } },
    legend: { data: ['ΔMSE', 'ΔMAE', 'ΔR²'] },
    grid: { left: 50, right: 20, bottom: 30, top: 40 },
    xAxis: { type: 'category', data: versions.map((v) => v.deltaVsChampion
      ? `v${v.version} vs v${v.championAtRegistration}` : `v${v.version}`) },
    yAxis: { type: 'value', name: '%' },
    series: [
      { name: 'ΔMSE', type: 'bar', data: versions.map((v) => delta(v, 'mse')) },
      { name: 'ΔMAE', type: 'bar', data: versions.map((v) => delta(v, 'mae')) },
      { name: 'ΔR²', type: 'bar', data: versions.map((v) => delta(v, 'r2')) },
    ],
  }, true);
}

async function renderTrials(versions) {
  const runs = [...new Set(versions.map((v) => v.trainingRun).filter(Boolean))];
  const trialsByRun = await Promise.all(runs.map((run) =>
    api(`/models/${enc(currentModel)}/trials?run=${enc(run)}`).then((trials) => ({ run, trials }))));
  const series = trialsByRun.filter((r) => r.trials.length > 0).map((r) => ({
    name: r.run,
    type: 'line',
    data: r.trials.map((t) => [t.trialNo, t.validationMae]),
  }));
  chart('chart-trials').setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', data: series.map((s) => s.name) },
    grid: { left: 50, right: 20, bottom: 40, top: 40 },
    xAxis: { type: 'value', name: 'trial', nameLocation: 'middle', nameGap: 25, minInterval: 1 },
    yAxis: { type: 'value', name: 'validation MAE', scale: true },
    series,
    graphic: series.length ? [] : [{ type: 'text', left: 'center', top: 'middle', style: { text: 'no tuning trials recorded' } }],
  }, true);
}

async function renderAlarms() {
  const activeOnly = $('alarms-active-only').checked;
  const alarms = await api('/alarms?limit=1000' + (activeOnly ? '&status=active' : ''));
  const active = alarms.filter((a) => a.status === 'ACTIVE').length;
  $('alarms-summary').textContent = `${active} active, ${alarms.length - active} resolved`;
  const types = [...new Set(alarms.map((a) => a.type))].sort();
  const colors = { INFO: '#2563eb', WARNING: '#d97706', CRITICAL: '#dc2626' };
  chart('chart-alarms').setOption({
    animation: false,
    tooltip: { formatter: (p) => `${time(new Date(p.value[0]).toISOString())}<br>${p.value[1]} · ${p.value[2]} · ${p.seriesName}<br>${p.value[3]}` },
    grid: { left: 110, right: 20, bottom: 30, top: 20 },
    xAxis: { type: 'time', boundaryGap: ['3%', '3%'] },
    yAxis: { type: 'category', data: types },
    // resolved episodes are drawn hollow
    series: ['ACTIVE', 'RESOLVED'].map((status) => ({
      name: status.toLowerCase(),
      type: 'scatter',
      symbol: status === 'ACTIVE' ? 'circle' : 'emptyCircle',
      symbolSize: 10,
      data: alarms.filter((a) => a.status === status).map((a) => [a.time, a.type, a.severity, a.message]),
      itemStyle: { color: (p) => colors[p.value[2]] || '#64748b', borderWidth: 2 },
    })),
    graphic: alarms.length ? [] : [{ type: 'text', left: 'center', top: 'middle', style: { text: 'no alarms' } }],
  }, true);
  const tbody = $('alarms-table').querySelector('tbody');
  tbody.replaceChildren();
  for (const a of alarms.slice(-50).reverse()) {
    const tr = document.createElement('tr');
    tr.dataset.alarm = a.alarmId;
    const status = document.createElement('span');
    status.className = 'status alarm-' + a.status;
    status.textContent = a.status.toLowerCase();
    const statusCell = cell('');
    statusCell.append(status);
    const resolved = cell(a.clearedAt === null ? '–' : time(new Date(a.clearedAt).toISOString()));
    if (a.resolution) resolved.title = a.resolution;
    tr.append(cell(time(new Date(a.time).toISOString())), cell(a.type), cell(a.severity), cell(a.meterId || '–'),
      cell(a.modelVersion ? 'v' + a.modelVersion : '–'), statusCell,
      cell(a.lastNotifiedAt === null ? '–' : time(new Date(a.lastNotifiedAt).toISOString())), resolved,
      cell(a.message));
    tbody.append(tr);
  }
}

function fillCompareSelectors(versions) {
  for (const [id, pick] of [['compare-a', versions.length - 2], ['compare-b', versions.length - 1]]) {
    const select = $(id);
    select.replaceChildren(...versions.map((v) => new Option('v' + v.version, v.version)));
    if (pick >= 0) select.value = versions[pick].version;
  }
}

// Scores B and A on the same rows (POST /evaluate: B's test rows of the range, B's data range unless one is given).
// When that is not possible (no token, no snapshots), shows the stored metrics and says on which rows each is.
async function compare() {
  const a = Number($('compare-a').value);
  const b = Number($('compare-b').value);
  const vb = currentVersions.find((v) => v.version === b);
  const from = $('compare-from').value.trim() || vb.dataFrom;
  const to = $('compare-to').value.trim() || vb.dataTo;
  let metricsA;
  let metricsB;
  let sameRows;
  let note;
  try {
    const r = await change('/evaluate', { model: currentModel, version: b, against: a, from, to });
    [metricsA, metricsB, sameRows] = [r.against, r.metrics, true];
    note = `Both on the same rows: ${rowsText(r.testRows)} (the test rows of the data ${time(from)} … ${time(to)}, `
      + 'scored by POST /evaluate).';
  } catch (e) {
    const r = await api(`/models/${enc(currentModel)}/compare?a=${a}&b=${b}`);
    [metricsA, metricsB, sameRows] = [r.a.metrics, r.b.metrics, r.sameTestRows];
    note = sameRows ? `Both on the same rows: ${rowsText(r.b.testRows)} (stored metrics).`
      : `Not measured on the same rows: each version on its own test rows (v${a}: ${rowsText(r.a.testRows)}; `
        + `v${b}: ${rowsText(r.b.testRows)}). Scoring both on the same rows failed: ${e.message}`;
  }
  $('compare-rows').textContent = note;
  $('compare-rows').className = 'note' + (sameRows ? '' : ' unlike');
  const tbody = $('compare-table').querySelector('tbody');
  tbody.replaceChildren();
  for (const [key, label, lowerIsBetter] of [['mse', 'MSE', true], ['mae', 'MAE', true], ['r2', 'R²', false]]) {
    const tr = document.createElement('tr');
    tr.append(cell(label), cell(fmt(metricsA[key]), 'num'), cell(fmt(metricsB[key]), 'num'),
      deltaCell(relative(metricsA[key], metricsB[key]), lowerIsBetter, { neutral: !sameRows, title: note }));
    tbody.append(tr);
  }
}

const enc = encodeURIComponent;

async function act(promise, done) {
  try {
    await promise;
    say(done);
    await loadModel();
  } catch (e) {
    say(e.message, true);
  }
}

async function loadModel() {
  currentModel = $('model-select').value;
  if (!currentModel) {
    return;
  }
  currentVersions = await api(`/models/${enc(currentModel)}/versions`);
  renderVersions(currentVersions);
  renderMetricCharts(currentVersions);
  fillCompareSelectors(currentVersions);
  await renderTrials(currentVersions);
  if (currentVersions.length >= 2) {
    await compare();
  }
}

async function load() {
  document.body.dataset.state = 'loading';
  try {
    const models = await api('/models');
    const select = $('model-select');
    const previous = select.value;
    select.replaceChildren(...models.map((m) => new Option(m.name, m.name)));
    if (models.some((m) => m.name === previous)) select.value = previous;
    if (models.length === 0) say('No models registered yet.');
    await loadModel();
    await renderAlarms();
    document.body.dataset.state = 'ready';
  } catch (e) {
    say(e.message, true);
    document.body.dataset.state = 'error';
  }
}

$('token').value = sessionStorage.getItem('imlma-token') || '';
$('refresh').onclick = load;
$('model-select').onchange = () => loadModel().catch((e) => say(e.message, true));
$('alarms-active-only').onchange = () => renderAlarms().catch((e) => say(e.message, true));
$('compare').onclick = () => compare().catch((e) => say(e.message, true));
$('rollback').onclick = () => act(change(`/models/${enc(currentModel)}/rollback`, { by: 'web page' }),
  'rolled back to the previous champion');
load();
