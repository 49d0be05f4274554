// The page: wires the form, the streamed search, the status strip, the table, the timeline, the history and the cart.
import { ProblemError, getJson, search, storedRecords, streamSearch } from './api.js';
import { clearErrors, fillNicknames, readForm, showFieldError, showProblem, wirePresets, writeForm } from './query.js';
import { loadChoices } from './vocabulary.js';
import { StatusStrip, countsText } from './status.js';
import { ResultTable, recordKey } from './table.js';
import { drawTimeline } from './timeline.js';
import { Cart } from './cart.js';
import { getLinks, shellScript, snippets } from './delivery.js';

const $ = id => document.getElementById(id);
const fmt = n => Number(n).toLocaleString('en-US');
const strip = new StatusStrip();
let providers = [];
let running = null;      // AbortController of the search in progress
let lastRange = null;    // [startMs, endMs] of the shown results
let links = [];
let linksVerified = false;

const table = new ResultTable($('results-table'), $('table-scroll'), {
  onChange: () => {
    const n = table.selected.size;
    $('selection-count').textContent = `${fmt(n)} selected`;
    $('add-to-cart').disabled = n === 0;
  },
  describe: (shown, all) => {
    $('table-summary').textContent = all === 0 ? 'No records to show.'
      : shown === all ? `${fmt(all)} records in the table.` : `${fmt(shown)} of ${fmt(all)} records match the column filters.`;
    if (lastRange) drawTimeline($('timeline'), $('timeline-text'), table.view, ...lastRange);
  },
});

const cart = new Cart(c => {
  updateSnippets();
  const url = new URL(location.href);
  if (c.id) url.searchParams.set('cart', c.id); else url.searchParams.delete('cart');
  history.replaceState(history.state, '', url);
});

/** The page URL for a query, keeping the cart id so a bookmark brings both back. */
function pageUrl(params) {
  const url = new URL(location.pathname, location.origin);
  for (const [k, v] of params) url.searchParams.set(k, v);
  if (cart.id) url.searchParams.set('cart', cart.id);
  return url;
}

function setRunning(on) {
  $('search-button').disabled = on;
  $('cancel-button').disabled = !on;
  $('search-form').setAttribute('aria-busy', String(on));
}

// A stream's provider event holds its records under "records" (their count is the list's length).
const normalizeProvider = p => ({ ...p, status: p.status ?? 'pending', records: Array.isArray(p.records) ? p.records.length : p.records });

function showResults(records, summary, params) {
  const start = Date.parse(params.get('start')), end = Date.parse(params.get('end'));
  lastRange = Number.isNaN(start) || Number.isNaN(end) ? null : [start, end];
  $('timeline-figure').hidden = !lastRange || records.length === 0;
  table.setRecords(records);
  $('counts').textContent = countsText(summary, records.length);
  fillSelectionChoices(records);
}

function fillSelectionChoices(records) {
  for (const [id, key] of [['select-provider', 'provider'], ['select-instrument', 'instrument']]) {
    const counts = new Map();
    for (const r of records) if (r[key]) counts.set(r[key], (counts.get(r[key]) || 0) + 1);
    $(id).replaceChildren(...[...counts].sort().map(([v, n]) => new Option(`${v} (${fmt(n)})`, v)));
  }
}

async function runSearch(params) {
  running?.abort();
  const controller = new AbortController();
  running = controller;
  setRunning(true);
  clearErrors();
  const chosen = (params.get('providers') || '').split(',').filter(Boolean);
  strip.plan(providers.filter(p => p.enabled && (chosen.length === 0 || chosen.includes(p.id))).map(p => ({ id: p.id })));
  $('counts').textContent = 'Searching…';
  const streamed = [];
  let lastDraw = 0;
  try {
    let summary = null;
    const available = await streamSearch(params, {
      plan: plan => strip.plan(plan.providers.map(normalizeProvider)),
      provider: event => {
        strip.update(normalizeProvider(event));
        streamed.push(...(event.records || []));
        const now = performance.now();
        if (now - lastDraw > 250) { // redraw at most four times a second while providers report
          lastDraw = now;
          table.setRecords(streamed.slice());
          $('counts').textContent = `Searching… ${fmt(streamed.length)} records so far.`;
        }
      },
      summary: s => { summary = s; },
      // The search failed after the stream began: the broker says so as the last event.
      error: problem => { throw new Error(problem.detail || problem.title || 'the search failed'); },
    }, controller.signal);
    let records;
    if (available) {
      if (!summary) throw new Error('the search stream ended before its summary');
      summary.providers = summary.providers.map(normalizeProvider);
      for (const p of summary.providers) strip.update(p);
      records = await mergedRecords(summary, streamed, controller.signal);
    } else {
      const result = await search(params, controller.signal);
      summary = { ...result, providers: result.providers.map(normalizeProvider) };
      strip.plan(summary.providers);
      records = result.records;
    }
    showResults(records, summary, params);
    refreshHistory();
  } catch (e) {
    if (controller.signal.aborted) {
      strip.finishUnreported('cancelled before it answered');
      $('counts').textContent = 'Search cancelled.';
    } else if (e instanceof ProblemError && e.status === 400) {
      strip.plan([]);
      $('counts').textContent = 'The search was not run: see the messages next to the fields.';
      showProblem(e.problem);
    } else {
      strip.finishUnreported('no answer: the search failed');
      const text = e instanceof ProblemError ? `${e.problem.title ?? 'Error'}: ${e.message}` : `The search failed: ${e.message}`;
      $('counts').textContent = text;
      showFieldError('form', text);
    }
  } finally {
    if (running === controller) { running = null; setRunning(false); }
  }
}

/** The merged, de-duplicated records of a streamed search, paged from the session's stored result when it holds them all. */
async function mergedRecords(summary, streamed, signal) {
  const returned = summary.returned ?? streamed.length;
  try {
    const stored = await storedRecords(summary.queryId, returned, signal,
      (n, total) => { $('counts').textContent = `Loading merged records… ${fmt(n)} of ${fmt(total)}`; });
    if (stored.length >= returned) return stored;
  } catch (e) {
    if (signal.aborted) throw e;
  }
  const seen = new Set();
  return streamed.filter(r => !seen.has(recordKey(r)) && seen.add(recordKey(r)));
}

async function refreshHistory() {
  let history;
  try {
    history = await getJson('/api/v1/queries');
  } catch {
    $('history-list').replaceChildren(Object.assign(document.createElement('li'), { textContent: 'No history yet (a session starts with the first search).' }));
    return;
  }
  $('history-list').replaceChildren(...history.queries.map(q => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    const params = blockParams(q.query?.blocks?.[0]);
    const statuses = (q.providers || []).map(normalizeProvider);
    const bad = statuses.filter(p => !['ok', 'empty', 'skipped'].includes(p.status)).map(p => `${p.id} ${p.status}`);
    button.textContent = `${q.createdAt.slice(0, 19).replace('T', ' ')} — ${describeParams(params)} — ${fmt(q.returned)} records` +
      (bad.length ? ` (${bad.join(', ')})` : '');
    button.addEventListener('click', () => openStored(q, params));
    li.append(button);
    return li;
  }));
}

/** A stored query's first block as the page's URL parameters. */
function blockParams(block) {
  const params = new URLSearchParams();
  if (!block) return params;
  for (const key of ['start', 'end']) if (block[key]) params.set(key, block[key].replace(/\.000Z$/, 'Z'));
  for (const key of ['source', 'instrument', 'physobs', 'level']) if (typeof block[key] === 'string') params.set(key, block[key]);
  if (Number.isFinite(block.waveMin)) params.set('wavemin', String(block.waveMin));
  if (Number.isFinite(block.waveMax)) params.set('wavemax', String(block.waveMax));
  if (Number.isFinite(block.waveMin) || Number.isFinite(block.waveMax)) params.set('waveunit', block.waveUnit ?? 'Angstrom');
  return params;
}

const describeParams = params => [...params].filter(([k]) => k !== 'limit').map(([k, v]) => `${k}=${v}`).join(' ') || 'query';

async function openStored(q, params) {
  writeForm(params);
  history.pushState({ queryId: q.queryId }, '', pageUrl(params));
  const statuses = (q.providers || []).map(normalizeProvider);
  strip.plan(statuses);
  $('counts').textContent = 'Loading stored records…';
  try {
    const records = await storedRecords(q.queryId, q.stored ?? q.returned, undefined,
      (n, total) => { $('counts').textContent = `Loading stored records… ${fmt(n)} of ${fmt(total)}`; });
    showResults(records, { ...q, providers: statuses }, params);
  } catch (e) {
    $('counts').textContent = `The stored result cannot be read: ${e.message}`;
  }
}

function updateSnippets() {
  const items = [...cart.items.values()];
  const s = snippets(items, cart.id, location.origin);
  $('snippet-fido').textContent = s.fido;
  $('snippet-vso').textContent = s.vso;
  $('snippet-rest').textContent = s.rest;
}

function updateScript() {
  const blob = new Blob([shellScript(links, $('script-tool').value, cart.id, location.origin, linksVerified)], { type: 'text/x-shellscript' });
  const a = $('script-download');
  if (a.href.startsWith('blob:')) URL.revokeObjectURL(a.href);
  a.href = URL.createObjectURL(blob);
  a.download = `vso-cart-${cart.id ?? 'unsaved'}.sh`;
}

function wireTabs() {
  const tabs = [...document.querySelectorAll('[role=tab]')];
  const select = tab => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !on;
    }
    tab.focus();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab));
    tab.addEventListener('keydown', e => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (step) { e.preventDefault(); select(tabs[(i + step + tabs.length) % tabs.length]); }
      if (e.key === 'Home') { e.preventDefault(); select(tabs[0]); }
      if (e.key === 'End') { e.preventDefault(); select(tabs[tabs.length - 1]); }
    });
  });
}

function wire() {
  $('search-form').addEventListener('submit', e => {
    e.preventDefault();
    clearErrors();
    const params = readForm();
    let missing = false;
    for (const f of ['start', 'end']) {
      if (!params.get(f)) { showFieldError(f, `${f} is required (ISO 8601, e.g. 2022-03-21T00:00:00Z, or use a preset).`); missing = true; }
    }
    if (missing) { $('start').focus(); return; }
    history.pushState({}, '', pageUrl(params));
    runSearch(params);
  });
  $('cancel-button').addEventListener('click', () => running?.abort());
  $('reset-button').addEventListener('click', () => { writeForm(new URLSearchParams()); $('nickname').value = ''; clearErrors(); });
  window.addEventListener('popstate', () => {
    const params = new URLSearchParams(location.search);
    params.delete('cart');
    if (writeForm(params)) runSearch(params);
  });
  $('select-shown').addEventListener('click', () => table.select(table.view));
  $('select-none').addEventListener('click', () => table.select([], true));
  $('select-provider-use').addEventListener('click', () => table.select(table.records.filter(r => r.provider === $('select-provider').value)));
  $('select-instrument-use').addEventListener('click', () => table.select(table.records.filter(r => r.instrument === $('select-instrument').value)));
  $('add-to-cart').addEventListener('click', async () => {
    const chosen = table.selectedRecords();
    try {
      const added = await cart.add(chosen);
      $('selection-count').textContent = `${fmt(added)} added to cart ${cart.id} (${fmt(chosen.length - added)} were in it already).`;
      table.select([], true);
      $('selection-count').textContent = `${fmt(added)} added to cart ${cart.id} (${fmt(chosen.length - added)} were in it already).`;
    } catch (e) {
      $('selection-count').textContent = `The cart could not be saved: ${e.message}`;
    }
  });
  $('cart-load').addEventListener('click', async () => {
    const id = $('cart-id-input').value.trim().toLowerCase();
    $('cart-id-error').textContent = '';
    $('cart-id-input').removeAttribute('aria-invalid');
    try {
      await cart.load(id);
    } catch (e) {
      $('cart-id-error').textContent = e.message;
      $('cart-id-input').setAttribute('aria-invalid', 'true');
    }
  });
  $('cart-new').addEventListener('click', () => { cart.reset(); $('links-table').hidden = true; $('script-actions').hidden = true; $('links-summary').textContent = ''; });
  $('cart-remove-selected').addEventListener('click', () => cart.removeSelected().catch(e => { $('cart-summary').textContent = `The cart could not be saved: ${e.message}`; }));
  $('get-links').addEventListener('click', async () => {
    $('get-links').disabled = true;
    $('links-summary').textContent = 'Asking the providers for links…';
    try {
      linksVerified = $('verify-links').checked;
      links = await getLinks([...cart.items.values()], linksVerified);
      updateScript();
    } catch (e) {
      $('links-summary').textContent = `GetData failed: ${e.message}`;
    } finally {
      $('get-links').disabled = cart.items.size === 0;
    }
  });
  $('script-tool').addEventListener('change', updateScript);
  $('history-refresh').addEventListener('click', refreshHistory);
  wireTabs();
}

async function start() {
  wire();
  fillNicknames();
  wirePresets();
  try {
    providers = await loadChoices();
  } catch (e) {
    showFieldError('form', `The provider list cannot be read: ${e.message}`);
  }
  const params = new URLSearchParams(location.search);
  const cartId = params.get('cart') ?? Cart.storedId();
  params.delete('cart');
  if (cartId) {
    try {
      await cart.load(cartId);
    } catch (e) {
      $('cart-id-input').value = cartId;
      $('cart-id-error').textContent = e.message;
      cart.reset();
    }
  } else {
    cart.render();
  }
  refreshHistory();
  document.body.dataset.ready = 'true';
  if (writeForm(params)) await runSearch(params);
}

start();
