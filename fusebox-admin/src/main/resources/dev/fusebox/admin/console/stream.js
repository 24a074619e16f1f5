// The live event stream (GET /api/events, Server-Sent Events): one connection for the whole page.
// It reconnects by itself, with a growing pause, and says on the page while it is down.

import { clock } from './format.js';

const EVENTS = ['hello', 'summary', 'state', 'trip', 'reset', 'reset-denied', 'breaker-added', 'breaker-removed'];
/** Summaries come every second: this long without one means the connection is dead even if no error came. */
const SILENCE_MS = 5000;
const MAX_PAUSE_MS = 10000;

export class Stream {
  constructor(url, status, banner) {
    this.url = url;
    this.status = status;
    this.banner = banner;
    this.handlers = new Map();
    this.openHandlers = new Set();
    this.source = null;
    this.attempt = 0;
    this.downSince = null;
    this.lastEvent = 0;
    this.offset = 0; // server clock minus ours
    this.everConnected = false;
  }

  /** Calls fn(data) for each event of that name; returns a function that stops it. */
  on(name, fn) {
    if (!this.handlers.has(name)) this.handlers.set(name, new Set());
    this.handlers.get(name).add(fn);
    return () => this.handlers.get(name).delete(fn);
  }

  /** Calls fn() whenever the stream (re)connects: views reload what they may have missed. */
  onOpen(fn) {
    this.openHandlers.add(fn);
    return () => this.openHandlers.delete(fn);
  }

  /** The server's time now, in epoch ms. */
  now() {
    return Date.now() + this.offset;
  }

  /** Whether events are arriving now. */
  live() {
    return this.downSince === null && this.everConnected;
  }

  start() {
    this.connect();
    setInterval(() => this.watch(), 1000);
  }

  connect() {
    const source = new EventSource(this.url);
    this.source = source;
    this.lastEvent = Date.now();
    for (const name of EVENTS) {
      source.addEventListener(name, (e) => this.dispatch(source, name, e));
    }
    source.onerror = () => this.lost(source, 'the connection to the server was lost');
  }

  dispatch(source, name, e) {
    if (source !== this.source) return;
    this.lastEvent = Date.now();
    let data;
    try {
      data = JSON.parse(e.data);
    } catch (err) {
      return; // not ours: ignore rather than break the page
    }
    if (typeof data.at === 'number' && (name === 'hello' || name === 'summary')) {
      this.offset = data.at - Date.now();
    }
    if (name === 'hello') this.opened();
    const fns = this.handlers.get(name);
    if (fns) {
      for (const fn of [...fns]) {
        try {
          fn(data);
        } catch (err) {
          console.error('console: handling', name, 'failed', err);
        }
      }
    }
  }

  opened() {
    const wasDown = this.downSince !== null || this.everConnected;
    this.attempt = 0;
    this.downSince = null;
    this.everConnected = true;
    this.status.dataset.state = 'live';
    this.status.textContent = 'Live: updates every second';
    this.banner.hidden = true;
    this.banner.textContent = '';
    if (wasDown) {
      for (const fn of [...this.openHandlers]) fn();
    }
  }

  lost(source, why) {
    if (source !== this.source) return;
    source.close();
    this.source = null;
    if (this.downSince === null) this.downSince = Date.now();
    this.attempt++;
    const pause = Math.min(MAX_PAUSE_MS, 1000 * 2 ** Math.min(this.attempt - 1, 4));
    this.status.dataset.state = 'down';
    this.status.textContent = 'Live updates down: reconnecting';
    this.banner.hidden = false;
    this.banner.textContent = 'Live updates are down since ' + clock(this.downSince)
      + ' (' + why + '). Reconnecting, attempt ' + this.attempt + ', next in ' + Math.round(pause / 1000)
      + ' s. What the page shows may be out of date.';
    setTimeout(() => this.connect(), pause);
  }

  watch() {
    if (this.source && this.lastEvent && Date.now() - this.lastEvent > SILENCE_MS
        && this.source.readyState === EventSource.OPEN) {
      this.lost(this.source, 'no event for ' + Math.round(SILENCE_MS / 1000) + ' s');
    }
  }
}
