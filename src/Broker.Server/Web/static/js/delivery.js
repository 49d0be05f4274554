// From the cart to the data: GetData (POST /api/v1/getdata) → one link and status per file; a shell script that
// fetches every file straight from its provider and checks sizes where the provider gave them; and the same in
// code (Fido with the broker's Python client, SunPy's VSOClient through the VSOi door, REST with curl).
import { requestJson } from './api.js';

const $ = id => document.getElementById(id);
const sq = text => `'${String(text).replaceAll("'", "'\\''")}'`; // a single-quoted shell word
const py = text => JSON.stringify(String(text)); // a Python string literal (JSON strings are valid Python)

/** The GetData body for cart items: file ids grouped by provider. */
export function getDataBody(items, verify) {
  const groups = new Map();
  for (const i of items) {
    if (!groups.has(i.provider)) groups.set(i.provider, []);
    groups.get(i.provider).push(i.fileId);
  }
  return { files: [...groups].map(([provider, fileIds]) => ({ provider, fileIds })), verify };
}

/** Asks GetData for the cart's links and shows them; returns the flat list of files. */
export async function getLinks(items, verify) {
  const answer = await requestJson('POST', '/api/v1/getdata', getDataBody(items, verify));
  const files = [];
  for (const p of answer.providers) {
    for (const f of p.files) files.push({ provider: p.id, providerStatus: p.status, providerMessage: p.message, ...f });
    if (p.files.length === 0 && p.message) files.push({ provider: p.id, fileId: '(all)', status: p.status, detail: p.message });
  }
  for (const u of answer.unrouted || []) files.push({ provider: '?', ...u });
  renderLinks(files);
  return files;
}

function renderLinks(files) {
  const table = $('links-table');
  table.hidden = false;
  const byStatus = {};
  for (const f of files) byStatus[f.status] = (byStatus[f.status] || 0) + 1;
  $('links-summary').textContent = `${files.length} files: ` + Object.entries(byStatus).map(([s, n]) => `${n} ${s}`).join(', ') +
    ((byStatus.ok || 0) + (byStatus.unverified || 0) === files.length ? '.' : '. Files without a link are listed with the reason, and in the script as comments.');
  table.tBodies[0].replaceChildren(...files.map(f => {
    const tr = document.createElement('tr');
    tr.dataset.status = f.status;
    const cells = [f.provider, f.fileId, f.detail ? `${f.status}: ${f.detail}` : f.status,
      f.sizeBytes === undefined || f.sizeBytes === null ? '' : Number(f.sizeBytes).toLocaleString('en-US')];
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    tr.cells[1].className = 'file';
    const link = document.createElement('td');
    if (f.url) {
      const a = document.createElement('a');
      a.href = f.url;
      a.textContent = 'download';
      a.setAttribute('aria-label', `Download ${f.fileId}`);
      a.rel = 'noopener';
      link.append(a);
    }
    tr.append(link);
    return tr;
  }));
  $('script-actions').hidden = !files.some(f => f.url);
}

/**
 * A POSIX shell script fetching every linked file (curl or wget), resumable. Sizes are checked only when the links
 * were verified (the size the provider's server reported for the file itself): catalogue sizes are often estimates.
 */
export function shellScript(files, tool, cartId, origin, verified) {
  const used = new Set();
  const path = f => {
    const base = `${f.provider}/${String(f.fileId).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_').slice(0, 180) || 'file'}`;
    let candidate = base, n = 1;
    while (used.has(candidate)) candidate = `${base}.${++n}`;
    used.add(candidate);
    return candidate;
  };
  const fetchLine = tool === 'wget'
    ? 'wget -q --tries=3 -O "$2.part" "$1"'
    : 'curl -fsSL --retry 3 -o "$2.part" "$1"';
  const ok = files.filter(f => f.url);
  const missing = files.filter(f => !f.url);
  const lines = [
    '#!/bin/sh',
    `# The files of VSO cart ${cartId ?? '(unsaved)'}: ${ok.length} linked by ${origin} on ${new Date().toISOString().slice(0, 19)}Z.`,
    verified ? '# Each file comes straight from its provider; its size is checked against what the provider reported for it.'
      : '# Each file comes straight from its provider. Sizes are not checked: tick "Check each link" before "Get links" for that.',
    '# Run it again to resume: complete files are skipped. Exit status 1 when any file failed.',
    'set -u',
    'failed=0',
    'size() { wc -c < "$1" | tr -d \' \'; }',
    'get() { # url path expected-bytes',
    '  mkdir -p "$(dirname "$2")"',
    '  if [ -f "$2" ] && { [ -z "$3" ] || [ "$(size "$2")" = "$3" ]; }; then echo "have   $2"; return; fi',
    `  if ${fetchLine}; then`,
    '    if [ -n "$3" ] && [ "$(size "$2.part")" != "$3" ]; then',
    '      echo "SIZE   $2: $(size "$2.part") bytes, expected $3" >&2; failed=$((failed + 1)); return',
    '    fi',
    '    mv "$2.part" "$2"; echo "ok     $2"',
    '  else',
    '    echo "FAILED $2 <- $1" >&2; rm -f "$2.part"; failed=$((failed + 1))',
    '  fi',
    '}',
    ...ok.map(f => `get ${sq(f.url)} ${sq(path(f))} ${sq(verified ? f.sizeBytes ?? '' : '')}`),
    ...missing.map(f => `# not available: ${f.provider} ${String(f.fileId).replace(/[\r\n]/g, ' ')} (${f.status}${f.detail ? `: ${String(f.detail).replace(/[\r\n]/g, ' ')}` : ''})`),
    'if [ "$failed" -gt 0 ]; then echo "$failed file(s) failed" >&2; exit 1; fi',
    `echo "all ${ok.length} files are here"`,
    '',
  ];
  return lines.join('\n');
}

/** Code doing what the cart does: Fido with the broker's Python client, SunPy's VSOClient (VSOi door), and REST. */
export function snippets(items, cartId, origin) {
  const times = items.flatMap(i => [i.start, i.end]).filter(Boolean).sort();
  const start = times[0] ?? '2022-03-21T00:00:00Z', end = times[times.length - 1] ?? start;
  const instruments = [...new Set(items.map(i => i.instrument).filter(Boolean))].sort();
  const fileIds = items.map(i => i.fileId);
  const idSet = fileIds.length <= 50 ? `{${fileIds.map(py).join(', ')}}` : `set(cart_ids)  # ${fileIds.length} ids`;
  const loadIds = fileIds.length <= 50 ? '' :
    `import json, urllib.request\ncart = json.load(urllib.request.urlopen(${py(`${origin}/api/v1/carts/${cartId}`)}))\ncart_ids = [i["fileId"] for i in cart["items"]]\n`;
  const instrumentAttr = instruments.length ? `, ${instruments.map(i => `a.Instrument(${py(i)})`).join(' | ')}` : '';
  const fido = [
    '# SunPy\'s Fido with this broker\'s own client (clients/python/vsobroker in the broker\'s repository):',
    '# one query, fanned out and de-duplicated by the broker; files come through GetData with parfive,',
    '# failures are listed in files.errors, never dropped.',
    'import os',
    `os.environ.setdefault("VSOBROKER_URL", ${py(origin)})`,
    'import vsobroker  # registers the broker client with Fido',
    'from sunpy.net import Fido, attrs as a',
    '',
    loadIds.trimEnd(),
    `wanted = ${idSet}`,
    `result = Fido.search(a.Time(${py(start)}, ${py(end)})${instrumentAttr})`,
    'table = result[0]',
    'table = table[[str(f) in wanted for f in table["fileid"]]]',
    'files = Fido.fetch(table, path="./vso/{file}")',
    'print(len(files), "files;", len(files.errors), "errors")',
  ].filter(line => line !== '').join('\n');
  const vso = [
    'from sunpy.net import attrs as a',
    'from sunpy.net.vso import VSOClient',
    '',
    `client = VSOClient(url=${py(`${origin}/soap/VSOi_rpc_literal.wsdl`)}, port="nsoVSOi")`,
    loadIds.trimEnd(),
    `wanted = ${idSet}`,
    `result = client.search(a.Time(${py(start)}, ${py(end)})${instrumentAttr})`,
    'result = result[[str(f) in wanted for f in result["fileid"]]]',
    'files = client.fetch(result, path="./vso/{file}")',
    'print(len(files), "files")',
  ].filter(line => line !== '').join('\n');
  const body = JSON.stringify(getDataBody(items, false));
  const rest = [
    '# The cart itself (any broker instance sharing the store):',
    `curl -s ${sq(`${origin}/api/v1/carts/${cartId ?? 'CART_ID'}`)}`,
    '',
    '# Links for its files (URL and status per file id):',
    `curl -s -X POST ${sq(`${origin}/api/v1/getdata`)} -H 'Content-Type: application/json' \\`,
    `  -d ${sq(body.length > 4000 ? `${body.slice(0, 4000)}…` : body)}`,
    body.length > 4000 ? '# (body shortened here: build it from the cart\'s items)' : '',
  ].join('\n').trimEnd();
  return { fido, vso, rest };
}
