// The search form: read it into the API's query parameters (the same names as GET /api/v1/search, so the page's URL
// is the query and can be bookmarked), fill it back from a URL, presets, and problem messages next to their fields.
import { rotationRange } from './carrington.js';

export const FIELDS = ['start', 'end', 'source', 'instrument', 'physobs', 'level', 'wavemin', 'wavemax', 'waveunit', 'limit'];
const $ = id => document.getElementById(id);

/** VSO-style nicknames: a wavelength range (with its unit) and a physical observable. */
export const NICKNAMES = {
  'EUV image': { wavemin: '100', wavemax: '1300', waveunit: 'Angstrom', physobs: 'intensity' },
  'Soft X-ray image': { wavemin: '1', wavemax: '100', waveunit: 'Angstrom', physobs: 'intensity' },
  'Hard X-ray': { wavemin: '3', wavemax: '300', waveunit: 'keV', physobs: 'intensity' },
  'White light': { wavemin: '3900', wavemax: '7000', waveunit: 'Angstrom', physobs: 'intensity' },
  'H-alpha': { wavemin: '6560', wavemax: '6566', waveunit: 'Angstrom', physobs: 'intensity' },
  'Radio (metric/decimetric)': { wavemin: '100', wavemax: '1000', waveunit: 'MHz', physobs: 'intensity' },
  'Line-of-sight magnetogram': { wavemin: '', wavemax: '', waveunit: 'Angstrom', physobs: 'LOS_magnetic_field' },
  'Vector magnetogram': { wavemin: '', wavemax: '', waveunit: 'Angstrom', physobs: 'VECTOR_magnetic_field' },
  'Dopplergram': { wavemin: '', wavemax: '', waveunit: 'Angstrom', physobs: 'LOS_velocity' },
};

export function fillNicknames() {
  const select = $('nickname');
  for (const name of Object.keys(NICKNAMES)) select.add(new Option(name, name));
  select.addEventListener('change', () => {
    const preset = NICKNAMES[select.value];
    if (!preset) return;
    for (const [field, value] of Object.entries(preset)) $(field).value = value;
  });
}

/** ISO 8601 UTC without milliseconds: 2022-03-21T00:00:00Z. */
export const iso = date => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function wirePresets(now = () => new Date()) {
  $('preset-last-day').addEventListener('click', () => {
    const end = now();
    setRange(new Date(end.getTime() - 86400000), end);
  });
  $('preset-date-use').addEventListener('click', () => {
    const day = $('preset-date').value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return showFieldError('start', 'Pick a date first.');
    const start = new Date(`${day}T00:00:00Z`);
    setRange(start, new Date(start.getTime() + 86400000));
  });
  $('preset-cr-use').addEventListener('click', () => {
    const n = Number($('preset-cr').value);
    if (!Number.isInteger(n) || n < 1 || n > 9999) return showFieldError('start', 'A Carrington rotation is a whole number from 1 (it began 1853-11-09).');
    const [start, end] = rotationRange(n);
    setRange(start, end);
  });
}

function setRange(start, end) {
  $('start').value = iso(start);
  $('end').value = iso(end);
  clearErrors();
}

/** The query as URL parameters (only what is set); providers as one comma list. */
export function readForm() {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const value = $(field).value.trim();
    if (value === '') continue;
    if (field === 'waveunit' && !$('wavemin').value.trim() && !$('wavemax').value.trim()) continue;
    params.set(field, value);
  }
  const providers = [...document.querySelectorAll('#providers input:checked')].map(c => c.value);
  if (providers.length) params.set('providers', providers.join(','));
  return params;
}

/** Fills the form from URL parameters (a bookmark); true when they hold a time range to search. */
export function writeForm(params) {
  for (const field of FIELDS) {
    const element = $(field);
    const value = params.get(field);
    if (element.tagName === 'SELECT') {
      if (value !== null && ![...element.options].some(o => o.value === value)) element.add(new Option(value, value));
      if (value !== null) element.value = value;
      else if (field === 'limit') element.value = '10000';
      else if (field === 'waveunit') element.value = 'Angstrom';
      else element.value = '';
    } else {
      element.value = value ?? '';
    }
  }
  const wanted = new Set((params.get('providers') || '').split(',').filter(Boolean));
  for (const box of document.querySelectorAll('#providers input')) box.checked = wanted.has(box.value);
  return params.has('start') && params.has('end');
}

export function clearErrors() {
  for (const p of document.querySelectorAll('.field-error')) p.textContent = '';
  for (const e of document.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
  const formError = $('form-error');
  formError.hidden = true;
  formError.textContent = '';
}

/** Shows a message under a field (or at the top of the form when no field fits) and marks the field invalid. */
export function showFieldError(field, message) {
  const target = $(`${field}-error`);
  if (!target) {
    const formError = $('form-error');
    formError.textContent = formError.textContent ? `${formError.textContent} ${message}` : message;
    formError.hidden = false;
    return;
  }
  target.textContent = target.textContent ? `${target.textContent} ${message}` : message;
  const control = field === 'providers' ? $('providers') : $(field);
  control?.setAttribute('aria-invalid', 'true');
}

const FIELD_WORDS = [...FIELDS, 'providers', 'provider', 'wave', 'detector'];

/** Which form field a problem message is about: its field member, else the parameter its message starts with. */
function fieldOf(name, message) {
  const bare = (name || '').replace(/^blocks\[\d+\]\./, '').replace(/^.*\./, '').toLowerCase();
  if (FIELDS.includes(bare) || bare === 'providers') return bare;
  const first = (message || '').trim().split(/[\s:'(]/)[0].toLowerCase();
  if (FIELDS.includes(first)) return first;
  if (first === 'wave' || first === 'wavelength') return 'wavemin';
  if (first === 'provider' || first === 'providers') return 'providers';
  return FIELD_WORDS.includes(first) ? 'providers' : null;
}

/** Puts a search's 400 problem next to the fields it is about. */
export function showProblem(problem) {
  clearErrors();
  let shown = 0;
  for (const error of problem.errors || []) {
    showFieldError(fieldOf(error.field, error.message) ?? 'form', error.message);
    shown++;
  }
  // "No provider can answer": one reason per provider, each naming the attribute it cannot serve.
  const byField = new Map();
  for (const [provider, reason] of Object.entries(problem.reasons || {})) {
    const field = fieldOf(null, reason) ?? 'providers';
    if (!byField.has(field)) byField.set(field, []);
    byField.get(field).push(`${provider}: ${reason}`);
  }
  for (const [field, reasons] of byField) {
    showFieldError(field, `No provider can answer this. ${reasons.join('; ')}`);
    shown++;
  }
  if (shown === 0) showFieldError(fieldOf(null, problem.detail) ?? 'form', problem.detail || problem.title || 'The search was refused.');
  const first = document.querySelector('[aria-invalid=true]');
  (first?.id === 'providers' ? first.querySelector('input') : first)?.focus();
}
