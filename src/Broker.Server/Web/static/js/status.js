// The per-provider status strip: filled as each provider answers (streamed search) or all at once (plain search).
// Every provider that was asked or skipped is listed with what it said, so nobody mistakes a timeout for "no data".

const $ = id => document.getElementById(id);
const fmt = n => Number(n).toLocaleString('en-US');
const LABEL = { pending: 'searching…', ok: 'ok', empty: 'empty', timeout: 'timeout', error: 'error', 'circuit-open': 'circuit open',
  skipped: 'skipped', unauthorized: 'unauthorized' };

/** One provider's count as honestly as it was reported: "100 of 2,345", "100 of at least 250", "100 (cut)". */
export function providerCount(p) {
  const got = p.records ?? 0;
  const found = p.found ?? p.totalAvailable;
  if (found !== undefined && found !== null && found > got) {
    return `${fmt(got)} of ${p.foundExact === false ? 'at least ' : ''}${fmt(found)}`;
  }
  if (p.truncated) return `${fmt(got)} (more not fetched)`;
  return fmt(got);
}

export class StatusStrip {
  constructor() {
    this.list = $('status-strip');
    this.items = new Map();
  }

  /** Starts a search: every provider pending (or skipped with its reason, when the plan says so). */
  plan(providers) {
    this.list.replaceChildren();
    this.items.clear();
    for (const p of providers) this.update(p.status ? p : { ...p, status: 'pending' });
  }

  update(p) {
    let li = this.items.get(p.id);
    if (!li) {
      li = document.createElement('li');
      li.dataset.provider = p.id;
      this.items.set(p.id, li);
      this.list.append(li);
    }
    const status = p.status || 'pending';
    li.className = `st-${status}`;
    li.dataset.status = status;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = p.id;
    const state = document.createElement('span');
    state.className = 'state';
    let text = LABEL[status] ?? status;
    if (status === 'ok') text += ` · ${providerCount(p)} record${p.records === 1 ? '' : 's'}`;
    if (status === 'empty') text += ' · asked, 0 records';
    if (p.elapsedMs !== undefined && status !== 'pending' && status !== 'skipped') text += ` · ${fmt(p.elapsedMs)} ms`;
    if (p.fromCache) text += ' · cached';
    if (p.rejected) text += ` · ${fmt(p.rejected)} rejected`;
    state.textContent = text;
    li.replaceChildren(name, state);
    if (p.message) {
      const message = document.createElement('span');
      message.className = 'message';
      message.textContent = p.message;
      li.append(message);
    }
    li.title = `${p.id}: ${text}${p.message ? ` — ${p.message}` : ''}`;
  }

  /** Providers that never reported (the search was cancelled or the connection dropped). */
  finishUnreported(reason) {
    for (const [id, li] of this.items) if (li.dataset.status === 'pending') this.update({ id, status: 'error', message: reason });
  }
}

/** The headline count: "Showing 10,000 of 61,773 records" (or "of at least …" when a total is a lower bound). */
export function countsText(summary, shown) {
  const total = summary.total ?? shown;
  const lowerBound = summary.totalExact === false
    || (summary.totalExact === undefined && (summary.providers || []).some(p => p.truncated && p.found === undefined && p.totalAvailable === undefined));
  const asked = (summary.providers || []).filter(p => p.status !== 'skipped');
  const failed = asked.filter(p => ['timeout', 'error', 'circuit-open', 'unauthorized'].includes(p.status)).map(p => p.id);
  let text = `Showing ${fmt(shown)} of ${lowerBound ? 'at least ' : ''}${fmt(total)} records from ${asked.length - failed.length} of ${asked.length} providers asked`;
  if (failed.length) text += `; not searched completely: ${failed.join(', ')} (see below)`;
  if (summary.elapsedMs !== undefined) text += ` · ${fmt(summary.elapsedMs)} ms`;
  return `${text}.`;
}
