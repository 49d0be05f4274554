// The broker's public REST API, as any script would call it. Errors are RFC 7807 problem documents.

/** A non-2xx answer: status and the problem document (title, detail, errors[{field, message}], reasons{...}). */
export class ProblemError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

async function readProblem(response) {
  const text = await response.text();
  try { return JSON.parse(text); } catch { return { title: `HTTP ${response.status}`, detail: text.slice(0, 500) }; }
}

/** GET or send JSON; throws ProblemError for a non-2xx answer. */
export async function requestJson(method, url, body, signal) {
  const init = { method, headers: { Accept: 'application/json' }, signal, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  if (!response.ok) throw new ProblemError(response.status, await readProblem(response));
  return response.status === 204 ? null : response.json();
}

export const getJson = (url, signal) => requestJson('GET', url, undefined, signal);

/**
 * The streamed search (GET /api/v1/search/stream, server-sent events: plan, provider…, summary). Calls
 * handlers.plan / handlers.provider / handlers.summary as events arrive. Returns false when this broker has no
 * streamed search (404/405), so the caller can fall back to the plain search.
 */
export async function streamSearch(params, handlers, signal) {
  const response = await fetch(`/api/v1/search/stream?${params}`, {
    headers: { Accept: 'text/event-stream' }, signal, credentials: 'same-origin',
  });
  if (response.status === 404 || response.status === 405) return false;
  if (!response.ok) throw new ProblemError(response.status, await readProblem(response));
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut;
    while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
      dispatch(block, handlers);
    }
  }
  if (buffer.trim()) dispatch(buffer, handlers);
  return true;
}

function dispatch(block, handlers) {
  let event = 'message';
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':')) continue; // keep-alive comment
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return;
  const handler = handlers[event];
  if (handler) handler(JSON.parse(data.join('\n')));
}

/** The plain search (GET /api/v1/search): the whole answer at once. */
export const search = (params, signal) => getJson(`/api/v1/search?${params}`, signal);

/** Pages through a stored result of this session (GET /api/v1/queries/{id}/records), 1000 records a call. */
export async function storedRecords(queryId, max, signal, onPage) {
  const records = [];
  let offset = 0;
  for (;;) {
    const page = await getJson(`/api/v1/queries/${encodeURIComponent(queryId)}/records?offset=${offset}&limit=1000`, signal);
    records.push(...page.records);
    onPage?.(records.length, page.stored);
    offset += page.records.length;
    if (!page.next || page.records.length === 0 || records.length >= max) return records;
  }
}
