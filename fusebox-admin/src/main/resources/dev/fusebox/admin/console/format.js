// Formatting shared by the views. Every value reaches the page through textContent, never as HTML.
// The formatters are made once: making one per call costs more than the rest of a table update.

const NUMBER = new Intl.NumberFormat('en');
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** A count with thousands separators: 12,345. */
export function count(n) {
  return NUMBER.format(n);
}

/** A state as people read it: HALF_OPEN is "HALF-OPEN". */
export function stateLabel(state) {
  return state ? state.replace('_', '-') : '?';
}

/** A count per second. */
export function rate(n) {
  if (n === undefined || n === null) return '';
  return n < 1000 ? String(n) : NUMBER.format(n);
}

/** A score (weighted failures) with at most one decimal. */
export function score(n) {
  if (n === undefined || n === null) return '';
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Milliseconds of latency: one decimal below 100 ms. */
export function millis(ms) {
  if (ms === undefined || ms === null) return '–';
  return ms < 100 ? ms.toFixed(1) + ' ms' : NUMBER.format(Math.round(ms)) + ' ms';
}

/** A duration in words: 45 s, 3 m 05 s, 2 h 10 m, 3 d 4 h. */
export function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return s + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' m ' + String(s % 60).padStart(2, '0') + ' s';
  const h = Math.floor(m / 60);
  if (h < 24) return h + ' h ' + String(m % 60).padStart(2, '0') + ' m';
  return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
}

/** How long ago an epoch-ms time was; pass the server's "now" (Stream.now()) to ignore clock skew. */
export function ago(at, now = Date.now()) {
  return at === null || at === undefined ? '' : duration(now - at) + ' ago';
}

/** An epoch-ms time in local time with the date, for titles and tables. */
export function when(at) {
  if (at === null || at === undefined) return '';
  return DATE_TIME.format(at);
}

/** Date and time to the millisecond, for failures that come many to a second. */
export function precise(at) {
  return when(at) + '.' + String(new Date(at).getMilliseconds()).padStart(3, '0');
}

/** Clock time only (HH:MM:SS), for recent events. */
export function clock(at) {
  return TIME.format(at);
}

/** Makes an element: el('td', {className: 'x'}, 'text', child...). */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('aria-') || k === 'role' || k === 'for') e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) {
    if (c !== undefined && c !== null && c !== false) e.append(c);
  }
  return e;
}

/** Sets an element's text only when it changed: rows update in place without touching the rest. */
export function setText(e, text) {
  if (e.textContent !== text) e.textContent = text;
}
