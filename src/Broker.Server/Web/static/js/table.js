// The results table: all records stay in memory, only the rows in view are in the DOM (virtual scrolling), so
// sorting, filtering and scrolling stay fast with tens of thousands of records.

const ROW = 30; // px, the CSS row height (--row)
const OVERSCAN = 15;

export const recordKey = r => `${r.provider}\u0000${r.fileId}`;
export const shortTime = t => (t ? t.replace('T', ' ').replace(/(\.\d+)?Z$/, '') : '');
/**
 * Wavelengths arrive in Å; radio ranges read better as frequencies and X-rays as energies, as their archives give them
 * (frequency = c / λ, energy = hc / λ; both reverse the order of the ends).
 */
export function wave(r) {
  const lo = r.waveMin ?? r.waveMax, hi = r.waveMax ?? r.waveMin;
  if (lo === undefined || lo === null) return '';
  const range = (a, b, unit) => (num(a) === num(b) ? `${num(a)} ${unit}` : `${num(a)}–${num(b)} ${unit}`);
  if (lo >= 1e6) return range(2.99792458e12 / hi, 2.99792458e12 / lo, 'MHz'); // 0.1 mm and longer
  if (hi <= 1 && lo > 0) return range(12.398419843320026 / hi, 12.398419843320026 / lo, 'keV');
  return range(lo, hi, 'Å');
}
const num = v => Number(Number(v).toPrecision(4)).toString();

export const COLUMNS = [
  { key: 'provider', label: 'Provider', width: 6 },
  { key: 'source', label: 'Source', width: 6 },
  { key: 'instrument', label: 'Instrument', width: 7 },
  { key: 'physobs', label: 'Physobs', width: 9 },
  { key: 'level', label: 'Level', width: 4 },
  { key: 'start', label: 'Start (UTC)', width: 10, text: r => shortTime(r.start) },
  { key: 'end', label: 'End (UTC)', width: 10, text: r => shortTime(r.end) },
  { key: 'waveMin', label: 'Wavelength', width: 8, numeric: true, text: wave },
  { key: 'sizeKb', label: 'Size (kB)', width: 6, numeric: true, text: r => (r.sizeKb === undefined ? '' : Math.round(r.sizeKb).toLocaleString('en-US')) },
  { key: 'fileId', label: 'File id', width: 16, className: 'file' },
];

const cellText = (column, r) => (column.text ? column.text(r) : r[column.key] ?? '');

/** A filter: plain text matches case-insensitively anywhere; on number columns ">100", "<5", ">=", "<=" compare. */
function matcher(column, text) {
  const t = text.trim();
  if (!t) return null;
  const m = column.numeric && /^(>=|<=|>|<|=)\s*(-?\d+(\.\d+)?)$/.exec(t);
  if (m) {
    const limit = Number(m[2]);
    const cmp = { '>': (a, b) => a > b, '<': (a, b) => a < b, '>=': (a, b) => a >= b, '<=': (a, b) => a <= b, '=': (a, b) => a === b }[m[1]];
    return r => r[column.key] !== undefined && cmp(r[column.key], limit);
  }
  const needle = t.toLowerCase();
  return r => String(cellText(column, r)).toLowerCase().includes(needle);
}

export class ResultTable {
  constructor(table, scroller, { onChange, describe }) {
    this.table = table;
    this.scroller = scroller;
    this.onChange = onChange;
    this.describe = describe;
    this.records = [];
    this.view = [];
    this.selected = new Set();
    this.sort = { key: null, dir: 1 };
    this.filters = new Map();
    this.buildHead();
    this.body = table.tBodies[0];
    this.pending = false;
    scroller.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(scroller);
    this.body.addEventListener('change', e => {
      const box = e.target.closest('input[type=checkbox]');
      if (!box) return;
      if (box.checked) this.selected.add(box.dataset.key); else this.selected.delete(box.dataset.key);
      box.closest('tr').classList.toggle('selected', box.checked);
      this.onChange?.();
    });
  }

  buildHead() {
    const cols = document.createElement('colgroup');
    const col = width => { const e = document.createElement('col'); e.style.width = width; return e; };
    cols.append(col('2.5rem'));
    for (const c of COLUMNS) cols.append(col(`${c.width}rem`));
    this.table.prepend(cols);
    this.table.style.tableLayout = 'fixed';
    this.table.style.minWidth = `${COLUMNS.reduce((s, c) => s + c.width, 2.5) + 8}rem`;
    const head = this.table.tHead;
    const titles = document.createElement('tr');
    const filters = document.createElement('tr');
    filters.className = 'filters';
    const selectTh = document.createElement('th');
    selectTh.scope = 'col';
    selectTh.innerHTML = '<span class="visually-hidden">Select</span>';
    titles.append(selectTh);
    filters.append(document.createElement('th'));
    for (const c of COLUMNS) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.dataset.key = c.key;
      th.setAttribute('aria-sort', 'none');
      if (c.numeric) th.className = 'num';
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.textContent = c.label;
      button.addEventListener('click', () => this.sortBy(c.key));
      th.append(button);
      titles.append(th);
      const fth = document.createElement('th');
      const input = document.createElement('input');
      input.type = 'search';
      input.dataset.key = c.key;
      input.setAttribute('aria-label', `Filter ${c.label}${c.numeric ? ` (text, or >, <, >=, <= a number${c.key === 'waveMin' ? ' in Å' : ''})` : ''}`);
      input.placeholder = c.key === 'waveMin' ? '>100 (Å)' : c.numeric ? '>100' : 'filter';
      input.addEventListener('input', () => {
        this.filters.set(c.key, input.value);
        this.refresh();
      });
      fth.append(input);
      filters.append(fth);
    }
    head.replaceChildren(titles, filters);
  }

  setRecords(records) {
    this.records = records;
    const keys = new Set(records.map(recordKey));
    for (const k of [...this.selected]) if (!keys.has(k)) this.selected.delete(k);
    this.refresh();
  }

  sortBy(key) {
    this.sort = this.sort.key === key ? { key, dir: -this.sort.dir } : { key, dir: 1 };
    for (const th of this.table.tHead.rows[0].cells) {
      if (!th.dataset.key) continue;
      th.setAttribute('aria-sort', th.dataset.key === key ? (this.sort.dir > 0 ? 'ascending' : 'descending') : 'none');
    }
    this.refresh();
  }

  /** Re-applies filters and sort, then draws the rows in view. */
  refresh() {
    const tests = COLUMNS.map(c => matcher(c, this.filters.get(c.key) || '')).filter(Boolean);
    let view = tests.length ? this.records.filter(r => tests.every(t => t(r))) : this.records.slice();
    if (this.sort.key) {
      const { key, dir } = this.sort;
      const indexed = view.map((r, i) => [r, i]);
      indexed.sort(([a, ia], [b, ib]) => {
        const x = a[key], y = b[key];
        if (x === y || (x === undefined && y === undefined)) return ia - ib;
        if (x === undefined) return 1; // missing values last in both directions
        if (y === undefined) return -1;
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * dir || ia - ib;
      });
      view = indexed.map(([r]) => r);
    }
    this.view = view;
    this.draw();
    this.describe?.(this.view.length, this.records.length);
    this.onChange?.();
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.draw(); });
  }

  draw() {
    const headHeight = this.table.tHead.offsetHeight;
    const top = Math.max(0, this.scroller.scrollTop - headHeight);
    const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    const count = Math.ceil(this.scroller.clientHeight / ROW) + 2 * OVERSCAN;
    const last = Math.min(this.view.length, first + count);
    const rows = [];
    rows.push(spacer(first * ROW));
    for (let i = first; i < last; i++) rows.push(this.row(this.view[i], i));
    rows.push(spacer((this.view.length - last) * ROW));
    this.body.replaceChildren(...rows);
  }

  row(r, index) {
    const tr = document.createElement('tr');
    const key = recordKey(r);
    tr.dataset.key = key;
    tr.setAttribute('aria-rowindex', String(index + 3));
    const selected = this.selected.has(key);
    if (selected) tr.className = 'selected';
    const td = document.createElement('td');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = selected;
    box.dataset.key = key;
    box.setAttribute('aria-label', `Select ${r.fileId} from ${r.provider}`);
    td.append(box);
    tr.append(td);
    for (const c of COLUMNS) {
      const cell = document.createElement('td');
      const text = cellText(c, r);
      cell.textContent = text;
      if (c.numeric) cell.className = 'num';
      if (c.className) { cell.className = c.className; cell.title = text; }
      tr.append(cell);
    }
    return tr;
  }

  /** Selects the given records (or clears the selection with an empty list and replace=true). */
  select(records, replace = false) {
    if (replace) this.selected.clear();
    for (const r of records) this.selected.add(recordKey(r));
    this.draw();
    this.onChange?.();
  }

  selectedRecords() {
    return this.records.filter(r => this.selected.has(recordKey(r)));
  }
}

function spacer(height) {
  const tr = document.createElement('tr');
  tr.className = 'spacer';
  tr.setAttribute('aria-hidden', 'true');
  const td = document.createElement('td');
  td.colSpan = COLUMNS.length + 1;
  td.style.height = `${height}px`;
  tr.append(td);
  return tr;
}
