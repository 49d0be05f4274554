// The cart: a selection of files kept across searches, saved on the broker (POST/PUT /api/v1/carts) under a short id
// that reloads it in any browser, on any broker instance, until it expires.
import { requestJson, getJson, ProblemError } from './api.js';
import { recordKey, shortTime } from './table.js';

const STORAGE_KEY = 'vso.cartId';
const ITEM_FIELDS = ['provider', 'fileId', 'source', 'instrument', 'physobs', 'start', 'end', 'waveMin', 'waveMax', 'sizeKb'];
const $ = id => document.getElementById(id);

export class Cart {
  constructor(onChange) {
    this.onChange = onChange;
    this.id = null;
    this.expiresAt = null;
    this.items = new Map();
    this.saving = Promise.resolve();
    this.selected = new Set();
    $('cart-table').tBodies[0].addEventListener('change', e => {
      const box = e.target.closest('input[type=checkbox]');
      if (!box) return;
      if (box.checked) this.selected.add(box.dataset.key); else this.selected.delete(box.dataset.key);
      $('cart-remove-selected').disabled = this.selected.size === 0;
    });
  }

  static storedId() {
    try { return localStorage.getItem(STORAGE_KEY); } catch { return null; }
  }

  async load(id) {
    const cart = await getJson(`/api/v1/carts/${encodeURIComponent(id)}`);
    this.adopt(cart);
  }

  adopt(cart) {
    this.id = cart.id;
    this.expiresAt = cart.expiresAt;
    this.items = new Map(cart.items.map(i => [recordKey(i), i]));
    this.selected.clear();
    try { localStorage.setItem(STORAGE_KEY, cart.id); } catch { /* private mode: the id is still in the URL */ }
    this.render();
  }

  reset() {
    this.id = null;
    this.expiresAt = null;
    this.items.clear();
    this.selected.clear();
    try { localStorage.removeItem(STORAGE_KEY); } catch { /* nothing stored */ }
    this.render();
  }

  /** Adds records (already in the cart: kept once) and saves; resolves with the number newly added. */
  add(records) {
    let added = 0;
    for (const r of records) {
      const key = recordKey(r);
      if (this.items.has(key)) continue;
      const item = {};
      for (const f of ITEM_FIELDS) if (r[f] !== undefined && r[f] !== null) item[f] = r[f];
      this.items.set(key, item);
      added++;
    }
    return this.save().then(() => added);
  }

  removeSelected() {
    for (const key of this.selected) this.items.delete(key);
    this.selected.clear();
    return this.save();
  }

  /** Saves the items: PUT to the existing cart, or POST a new one (also when the old one expired meanwhile). */
  save() {
    this.saving = this.saving.catch(() => {}).then(async () => {
      const body = { items: [...this.items.values()] };
      let cart = null;
      if (this.id) {
        try {
          cart = await requestJson('PUT', `/api/v1/carts/${encodeURIComponent(this.id)}`, body);
        } catch (e) {
          if (!(e instanceof ProblemError) || e.status !== 404) throw e;
        }
      }
      cart ??= await requestJson('POST', '/api/v1/carts', body);
      this.adopt(cart);
    });
    return this.saving;
  }

  render() {
    const count = this.items.size;
    $('cart-badge').textContent = String(count);
    $('cart-summary').textContent = this.id
      ? `Cart ${this.id}: ${count} file${count === 1 ? '' : 's'}, kept until ${this.expiresAt?.slice(0, 16).replace('T', ' ')} UTC. ` +
        `Reload it anywhere with the id ${this.id} or this page's address.`
      : 'The cart is empty. Select records in the results and add them.';
    $('get-links').disabled = count === 0;
    $('cart-remove-selected').disabled = this.selected.size === 0;
    const rows = [...this.items.entries()].slice(0, 2000).map(([key, i]) => {
      const tr = document.createElement('tr');
      tr.dataset.key = key;
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.dataset.key = key;
      box.checked = this.selected.has(key);
      box.setAttribute('aria-label', `Select cart item ${i.fileId} from ${i.provider}`);
      const first = document.createElement('td');
      first.append(box);
      tr.append(first);
      for (const text of [i.provider, i.instrument ?? '', shortTime(i.start), shortTime(i.end),
        i.sizeKb === undefined ? '' : Math.round(i.sizeKb).toLocaleString('en-US'), i.fileId]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      tr.lastChild.className = 'file';
      return tr;
    });
    if (count > 2000) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      td.colSpan = 7;
      td.textContent = `… and ${count - 2000} more files (all are in the cart and in the links).`;
      tr.append(td);
      rows.push(tr);
    }
    $('cart-table').tBodies[0].replaceChildren(...rows);
    this.onChange?.(this);
  }
}
