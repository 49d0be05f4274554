// The choices of the form, from the live registry: GET /api/v1/vocabulary (each value with the providers offering
// it) when the broker has it, else derived from GET /api/v1/providers' capabilities. Coverage dates come from the
// providers' capabilities either way.
import { getJson, ProblemError } from './api.js';

const $ = id => document.getElementById(id);
// VSO's physical observables and common levels, offered as suggestions when the registry names none.
const VSO_PHYSOBS = ['intensity', 'LOS_magnetic_field', 'VECTOR_magnetic_field', 'LOS_velocity', 'equivalent_width',
  'particle_flux', 'polarization', 'spectrum'];
const COMMON_LEVELS = ['0', '1', '1.5', '2', '3', 'L0', 'L1', 'L2', 'L3', 'LL02'];

/** Loads providers and vocabulary and fills the form; returns the providers (id, title, status info). */
export async function loadChoices() {
  const { providers } = await getJson('/api/v1/providers');
  const list = providers.map(p => ({ id: p.id, title: p.title, enabled: p.enabled, circuit: p.circuit, capabilities: p.capabilities || {} }));
  let vocabulary = null;
  try {
    vocabulary = (await getJson('/api/v1/vocabulary')).attributes;
  } catch (e) {
    if (!(e instanceof ProblemError) || e.status !== 404) throw e;
  }
  const attributes = vocabulary ?? fromCapabilities(list);
  fillProviders(list);
  fillSelect($('source'), attributes.source);
  fillSelect($('instrument'), attributes.instrument);
  fillList($('physobs-list'), attributes.physobs?.length ? attributes.physobs : VSO_PHYSOBS.map(value => ({ value })));
  fillList($('level-list'), attributes.level?.length ? attributes.level : COMMON_LEVELS.map(value => ({ value })));
  $('vocabulary-note').textContent = vocabulary
    ? 'Choices from the live vocabulary of the registry (each with the providers that offer it).'
    : 'Choices from the providers\' declared capabilities.';
  return list;
}

function fromCapabilities(providers) {
  const collect = key => {
    const byValue = new Map();
    for (const p of providers) {
      for (const value of p.capabilities[key] || []) {
        const k = value.toUpperCase();
        if (!byValue.has(k)) byValue.set(k, { value, providers: [] });
        byValue.get(k).providers.push(p.id);
      }
    }
    return [...byValue.values()].sort((a, b) => a.value.localeCompare(b.value));
  };
  return { source: collect('sources'), instrument: collect('instruments'), physobs: collect('physobs'), level: [] };
}

const day = text => (text ? String(text).slice(0, 10) : null);

function fillProviders(providers) {
  const box = $('providers');
  box.replaceChildren();
  for (const p of providers) {
    const label = document.createElement('label');
    label.className = 'check';
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.value = p.id;
    input.disabled = !p.enabled;
    const text = document.createElement('span');
    const from = day(p.capabilities.coverageStart), to = day(p.capabilities.coverageEnd);
    const coverage = from || to ? `coverage ${from ?? '…'} → ${to ?? 'now'}` : 'coverage not stated';
    const offers = (p.capabilities.instruments || []).slice(0, 6).join(', ');
    text.append(p.id);
    const small = document.createElement('small');
    small.textContent = [p.title, coverage, offers && `instruments ${offers}${p.capabilities.instruments.length > 6 ? ', …' : ''}`,
      p.enabled ? null : 'disabled', p.circuit && p.circuit !== 'closed' ? `circuit ${p.circuit}` : null].filter(Boolean).join(' · ');
    text.append(small);
    label.append(input, text);
    box.append(label);
  }
}

function fillSelect(select, values = []) {
  const keep = select.value;
  select.replaceChildren(new Option('any', ''));
  for (const v of values) {
    const option = new Option(v.providers?.length ? `${v.value} (${v.providers.join(', ')})` : v.value, v.value);
    select.add(option);
  }
  if (keep) select.value = keep;
}

function fillList(datalist, values) {
  datalist.replaceChildren(...values.map(v => new Option(v.providers?.length ? `${v.value} (${v.providers.join(', ')})` : '', v.value)));
}
