// The coverage timeline: one row per instrument, the searched time range cut into bins, each bin shaded by how many
// records cover it. An empty bin is a gap: nothing of that instrument covers that time. Drawn as SVG by this code.

const SVG = 'http://www.w3.org/2000/svg';
const BINS = 144;
const LABEL_W = 150, PLOT_W = 820, ROW_H = 22, TOP = 8, AXIS_H = 34;

const el = (name, attrs = {}, text) => {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
};

/** Counts per instrument per bin, and the gaps (runs of empty bins) per instrument. */
export function coverage(records, startMs, endMs, bins = BINS) {
  const span = endMs - startMs;
  const rows = new Map();
  if (!(span > 0)) return rows;
  for (const r of records) {
    const name = r.instrument || r.source || r.provider;
    const s = Date.parse(r.start ?? r.end), e = Date.parse(r.end ?? r.start);
    if (Number.isNaN(s) || Number.isNaN(e)) continue;
    if (!rows.has(name)) rows.set(name, { name, counts: new Uint32Array(bins), records: 0, providers: new Set() });
    const row = rows.get(name);
    row.records++;
    row.providers.add(r.provider);
    const from = Math.max(0, Math.floor(((Math.min(s, e) - startMs) / span) * bins));
    const to = Math.min(bins - 1, Math.floor(((Math.max(s, e) - startMs) / span) * bins));
    for (let b = from; b <= to; b++) row.counts[b]++;
  }
  for (const row of rows.values()) {
    row.gaps = [];
    let gapStart = -1;
    for (let b = 0; b <= bins; b++) {
      const empty = b < bins && row.counts[b] === 0;
      if (empty && gapStart < 0) gapStart = b;
      if (!empty && gapStart >= 0) {
        row.gaps.push([startMs + (gapStart / bins) * span, startMs + (b / bins) * span]);
        gapStart = -1;
      }
    }
    row.covered = row.counts.reduce((n, c) => n + (c > 0 ? 1 : 0), 0) / bins;
  }
  return rows;
}

const label = ms => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

/** Draws the plot into container and the text version (coverage share and gaps) into list. */
export function drawTimeline(container, list, records, startMs, endMs) {
  const rows = [...coverage(records, startMs, endMs).values()].sort((a, b) => a.name.localeCompare(b.name));
  const height = TOP + rows.length * ROW_H + AXIS_H;
  const width = LABEL_W + PLOT_W + 20;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'timeline-title timeline-desc' });
  svg.append(el('title', { id: 'timeline-title' }, 'Coverage timeline'));
  svg.append(el('desc', { id: 'timeline-desc' },
    `${rows.length} instruments from ${label(startMs)} to ${label(endMs)} UTC; the list below the plot gives each one's coverage and gaps.`));
  const max = Math.max(1, ...rows.map(r => Math.max(...r.counts)));
  const binW = PLOT_W / BINS;
  rows.forEach((row, i) => {
    const y = TOP + i * ROW_H;
    svg.append(el('rect', { x: LABEL_W, y, width: PLOT_W, height: ROW_H - 4, fill: '#f3f4f6', stroke: '#d1d5db' }));
    svg.append(el('text', { x: LABEL_W - 6, y: y + ROW_H / 2 + 2, 'text-anchor': 'end', 'font-size': 12, fill: '#1b1f24' },
      `${row.name} (${row.records.toLocaleString('en-US')})`));
    for (let b = 0; b < BINS; b++) {
      const c = row.counts[b];
      if (!c) continue;
      // Darker = more records; even one record is clearly visible against the light track.
      const share = Math.log1p(c) / Math.log1p(max);
      const rect = el('rect', { x: LABEL_W + b * binW, y, width: binW + 0.3, height: ROW_H - 4, fill: '#0b4f8a', 'fill-opacity': (0.3 + 0.7 * share).toFixed(2) });
      rect.append(el('title', {}, `${row.name}: ${c} records around ${label(startMs + ((b + 0.5) / BINS) * (endMs - startMs))}`));
      svg.append(rect);
    }
  });
  const axisY = TOP + rows.length * ROW_H + 2;
  svg.append(el('line', { x1: LABEL_W, x2: LABEL_W + PLOT_W, y1: axisY, y2: axisY, stroke: '#4a5260' }));
  for (let t = 0; t <= 4; t++) {
    const x = LABEL_W + (t / 4) * PLOT_W;
    svg.append(el('line', { x1: x, x2: x, y1: axisY, y2: axisY + 5, stroke: '#4a5260' }));
    svg.append(el('text', { x, y: axisY + 18, 'text-anchor': t === 0 ? 'start' : t === 4 ? 'end' : 'middle', 'font-size': 11, fill: '#1b1f24' },
      label(startMs + (t / 4) * (endMs - startMs))));
  }
  container.replaceChildren(svg);
  list.replaceChildren(...rows.map(row => {
    const li = document.createElement('li');
    const gaps = row.gaps.length ? row.gaps.slice(0, 8).map(([a, b]) => `${label(a)}–${label(b)}`).join(', ') + (row.gaps.length > 8 ? `, and ${row.gaps.length - 8} more` : '') : 'none';
    li.textContent = `${row.name} (${[...row.providers].join(', ')}): ${row.records} records, ${Math.round(row.covered * 100)}% of the range covered; gaps: ${gaps}`;
    return li;
  }));
  return rows;
}
