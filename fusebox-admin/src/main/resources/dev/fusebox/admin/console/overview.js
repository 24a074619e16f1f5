// Every breaker in one table, updated in place from the event stream: a row's cells change only
// when their text does, and rows move only when the sort order changes, so a few thousand
// breakers stay cheap. Sortable by any column, filterable by key.

import { get, breakerPath } from './api.js';
import { el, setText, stateLabel, rate, score, millis, ago, when, count } from './format.js';

const STATE_ORDER = { OPEN: 0, HALF_OPEN: 1, CLOSED: 2 };
const TEXT = new Intl.Collator('en', { numeric: true }); // far cheaper than localeCompare per comparison
const RATES = ['calls', 'failures', 'timeouts', 'rejections', 'sheds'];
const COLUMNS = [
  { id: 'key', label: 'Breaker', by: (r) => r.key, text: true },
  { id: 'state', label: 'State', by: (r) => STATE_ORDER[r.state] ?? 3 },
  { id: 'score', label: 'Score / threshold', by: (r) => (r.threshold ? r.failures / r.threshold : 0), desc: true },
  { id: 'calls', label: 'Calls/s', by: (r) => r.perSecond.calls, desc: true },
  { id: 'failures', label: 'Failures/s', by: (r) => r.perSecond.failures, desc: true },
  { id: 'timeouts', label: 'Timeouts/s', by: (r) => r.perSecond.timeouts, desc: true },
  { id: 'rejections', label: 'Rejected/s', by: (r) => r.perSecond.rejections, desc: true },
  { id: 'sheds', label: 'Shed/s', by: (r) => r.perSecond.sheds, desc: true },
  { id: 'latency', label: 'Avg latency', by: (r) => r.avgLatency ?? -1, desc: true },
  { id: 'since', label: 'Tripped since', by: (r) => (r.trippedAt ? -r.trippedAt : -Infinity), desc: true },
  { id: 'by', label: 'By', by: (r) => r.trippedBy || '', text: true },
  { id: 'why', label: 'Why', by: (r) => r.tripReason || '', text: true },
];

export class Overview {
  constructor(root, { stream }) {
    this.stream = stream;
    this.rows = new Map();
    this.busy = new Set();
    this.refreshing = new Set();
    this.order = [];
    this.sort = { column: 'state', ascending: true };
    this.filter = '';
    this.trippedOnly = false;
    this.reloadTimer = null;
    this.layoutPending = false;
    this.build(root);
    this.stops = [
      stream.on('summary', (s) => this.onSummary(s)),
      stream.on('state', (e) => this.onState(e)),
      stream.on('trip', (e) => this.onTrip(e)),
      stream.on('reset', (e) => this.onReset(e)),
      stream.on('breaker-added', (e) => this.onAdded(e)),
      stream.on('breaker-removed', (e) => this.remove(e.bookmaker)),
      stream.onOpen(() => this.load()),
    ];
    this.load();
  }

  close() {
    this.stops.forEach((stop) => stop());
    clearTimeout(this.reloadTimer);
  }

  build(root) {
    const filter = el('input', { type: 'search', id: 'filter', placeholder: 'part of a key', autocomplete: 'off',
      oninput: () => { this.filter = filter.value.trim().toLowerCase(); this.applyFilter(); } });
    const tripped = el('input', { type: 'checkbox', id: 'tripped-only',
      onchange: () => { this.trippedOnly = tripped.checked; this.applyFilter(); } });
    this.count = el('p', { id: 'count', className: 'count' }, 'Loading breakers…');
    this.heads = new Map();
    const headRow = el('tr');
    for (const c of COLUMNS) {
      const button = el('button', { type: 'button', className: 'sort', onclick: () => this.sortBy(c.id) }, c.label);
      const th = el('th', { scope: 'col', className: 'col-' + c.id, dataset: { column: c.id } }, button);
      this.heads.set(c.id, th);
      headRow.append(th);
    }
    this.body = el('tbody', { id: 'breakers' });
    this.table = el('table', { className: 'breakers' },
      el('caption', {}, 'Every breaker, one row each. Rates are per second over the last second. '
        + 'Select a column heading to sort by it.'),
      el('thead', {}, headRow), this.body);
    root.append(
      el('h2', {}, 'Breakers'),
      el('div', { className: 'controls' },
        el('label', { for: 'filter' }, 'Filter by key'), filter,
        el('label', { className: 'check' }, tripped, ' Tripped only'),
        this.count),
      el('div', { className: 'table-wrap' }, this.table));
    this.markSort();
  }

  async load() {
    let all;
    try {
      all = await get('/api/breakers');
    } catch (e) {
      setText(this.count, 'Could not load the breakers: ' + e.message);
      return;
    }
    const seen = new Set();
    for (const status of all) {
      seen.add(status.bookmaker);
      this.upsert(status);
    }
    for (const key of [...this.rows.keys()]) {
      if (!seen.has(key)) this.remove(key);
    }
    this.applyOrder(true);
    this.applyFilter();
  }

  /**
   * Re-sorts, re-filters and recounts once for a burst of changes: a trip storm of 2,000 breakers
   * is 4,000 events, each of which would otherwise sort the table.
   */
  layoutSoon() {
    if (this.layoutPending) return;
    this.layoutPending = true;
    requestAnimationFrame(() => {
      this.layoutPending = false;
      this.applyOrder(false);
      this.applyFilter();
    });
  }

  /** Loads all again a moment later: many breakers added at once cost one request, not one each. */
  reloadSoon() {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => this.load(), 500);
  }

  upsert(status) {
    const row = this.row(status.bookmaker);
    row.state = status.state;
    row.failures = status.failures;
    row.threshold = status.failureThreshold;
    row.avgLatency = status.avgLatency;
    row.trippedAt = status.trippedAt;
    row.trippedBy = status.trippedBy;
    row.tripReason = status.tripReason;
    this.paint(row);
  }

  row(key) {
    let row = this.rows.get(key);
    if (row) return row;
    row = { key, state: 'CLOSED', failures: 0, threshold: 0, avgLatency: null, trippedAt: null, trippedBy: null,
      tripReason: null, perSecond: { calls: 0, failures: 0, timeouts: 0, rejections: 0, sheds: 0 }, cells: {} };
    const tr = el('tr', { dataset: { key } });
    for (const c of COLUMNS) {
      const td = el(c.id === 'key' ? 'th' : 'td', { className: 'col-' + c.id });
      if (c.id === 'key') td.scope = 'row';
      row.cells[c.id] = td;
      tr.append(td);
    }
    row.cells.key.append(el('a', { href: '#/breaker/' + encodeURIComponent(key) }, key));
    row.badge = el('span', { className: 'badge' });
    row.cells.state.append(row.badge);
    row.scoreText = el('span');
    row.meter = el('meter', { min: 0, max: 1, value: 0 });
    row.meter.setAttribute('aria-hidden', 'true');
    row.cells.score.append(row.scoreText, row.meter);
    row.tr = tr;
    row.tr.hidden = !this.matches(row);
    this.rows.set(key, row);
    this.body.append(tr);
    this.order.push(row);
    return row;
  }

  paint(row) {
    if (row.tr.dataset.state !== row.state) {
      row.tr.dataset.state = row.state;
      row.badge.dataset.state = row.state;
    }
    setText(row.badge, stateLabel(row.state));
    setText(row.scoreText, score(row.failures) + ' / ' + score(row.threshold));
    const max = row.threshold > 0 ? row.threshold : 1;
    if (row.meter.max !== max) {
      // a low score is good: the meter turns amber past half the threshold and red near it
      row.meter.max = max;
      row.meter.optimum = 0;
      row.meter.low = max * 0.5;
      row.meter.high = max * 0.8;
    }
    if (row.meter.value !== Math.min(row.failures, max)) row.meter.value = Math.min(row.failures, max);
    for (const r of RATES) setText(row.cells[r], rate(row.perSecond[r]));
    setText(row.cells.latency, millis(row.avgLatency));
    this.paintSince(row);
    setText(row.cells.by, row.trippedBy || '');
    setText(row.cells.why, row.tripReason || '');
  }

  paintSince(row) {
    setText(row.cells.since, row.trippedAt ? ago(row.trippedAt, this.stream.now()) : '');
    if (row.titleFor !== row.trippedAt) {
      row.titleFor = row.trippedAt;
      row.cells.since.title = row.trippedAt ? 'Tripped at ' + when(row.trippedAt) : '';
    }
  }

  onSummary(s) {
    const busy = new Set();
    const unheard = [];
    for (const b of s.breakers) {
      const row = this.rows.get(b.bookmaker) || this.row(b.bookmaker);
      busy.add(b.bookmaker);
      if (row.state !== b.state) unheard.push(b.bookmaker);
      row.state = b.state;
      row.failures = b.failures;
      row.threshold = b.failureThreshold;
      row.perSecond = b.perSecond;
      if (b.avgLatency !== null) row.avgLatency = b.avgLatency;
      this.paint(row);
    }
    for (const key of this.busy) {
      const row = this.rows.get(key);
      if (row && !busy.has(key)) {
        // not listed: no calls, no score, closed
        row.perSecond = { calls: 0, failures: 0, timeouts: 0, rejections: 0, sheds: 0 };
        row.failures = 0;
        this.paint(row);
      }
    }
    this.busy = busy;
    for (const row of this.rows.values()) {
      if (row.trippedAt && !busy.has(row.key)) this.paintSince(row);
    }
    // State changes we did not hear of (the server's queue of changes overflowed): fetch who and
    // why, one request for a few breakers, one for all past that.
    if (unheard.length > 10) this.reloadSoon();
    else unheard.forEach((key) => this.refresh(key));
    this.layoutSoon();
  }

  async refresh(key) {
    if (this.refreshing.has(key)) return;
    this.refreshing.add(key);
    try {
      this.upsert(await get(breakerPath(key)));
    } catch (e) {
      if (e.status === 404) this.remove(key);
    } finally {
      this.refreshing.delete(key);
    }
  }

  onState(e) {
    const row = this.rows.get(e.bookmaker);
    if (!row) {
      this.refresh(e.bookmaker);
      return;
    }
    row.state = e.to;
    if (e.to === 'CLOSED') {
      row.trippedAt = null;
      row.trippedBy = null;
      row.tripReason = null;
      row.failures = 0;
    } else if (e.from === 'CLOSED') {
      row.trippedAt = e.at;
      row.trippedBy = e.user;
      row.tripReason = e.reason;
    }
    this.paint(row);
    this.layoutSoon();
  }

  onTrip(e) {
    const row = this.rows.get(e.bookmaker);
    if (!row) return;
    row.trippedAt = row.trippedAt || e.at;
    row.trippedBy = e.user;
    row.tripReason = e.reason;
    this.paint(row);
  }

  onReset(e) {
    const row = this.rows.get(e.bookmaker);
    if (!row) return;
    row.trippedAt = null;
    row.trippedBy = null;
    row.tripReason = null;
    this.paint(row);
  }

  onAdded(e) {
    if (!this.rows.has(e.bookmaker)) {
      this.row(e.bookmaker);
      this.paint(this.rows.get(e.bookmaker));
      this.reloadSoon(); // a breaker made again for a key can start tripped: fetch its status
    }
  }

  remove(key) {
    const row = this.rows.get(key);
    if (!row) return;
    row.tr.remove();
    this.rows.delete(key);
    this.busy.delete(key);
    this.order = this.order.filter((r) => r !== row);
    this.layoutSoon();
  }

  sortBy(column) {
    if (this.sort.column === column) {
      this.sort.ascending = !this.sort.ascending;
    } else {
      const c = COLUMNS.find((x) => x.id === column);
      this.sort = { column, ascending: !c.desc };
    }
    this.markSort();
    this.applyOrder(true);
  }

  markSort() {
    for (const [id, th] of this.heads) {
      if (id === this.sort.column) th.setAttribute('aria-sort', this.sort.ascending ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
  }

  /** Puts the rows in sort order, moving them only when the order changed. */
  applyOrder(force) {
    const c = COLUMNS.find((x) => x.id === this.sort.column);
    if (!force && c.id === 'key') return;
    const sign = this.sort.ascending ? 1 : -1;
    const sorted = [...this.rows.values()].sort((a, b) => {
      const x = c.by(a);
      const y = c.by(b);
      const d = c.text ? TEXT.compare(String(x), String(y)) : x - y;
      return d !== 0 ? sign * d : TEXT.compare(a.key, b.key);
    });
    if (!force && sorted.length === this.order.length && sorted.every((r, i) => r === this.order[i])) return;
    this.order = sorted;
    this.body.append(...sorted.map((r) => r.tr));
  }

  matches(row) {
    return (!this.filter || row.key.toLowerCase().includes(this.filter))
      && (!this.trippedOnly || row.state !== 'CLOSED');
  }

  applyFilter() {
    let shown = 0;
    let tripped = 0;
    for (const row of this.rows.values()) {
      const show = this.matches(row);
      if (row.tr.hidden === show) row.tr.hidden = !show;
      shown += show ? 1 : 0;
      tripped += row.state !== 'CLOSED' ? 1 : 0;
    }
    const total = this.rows.size;
    const all = count(total) + (total === 1 ? ' breaker' : ' breakers');
    setText(this.count, total === 0 ? 'No breakers yet: a breaker appears on its first call.'
      : (shown === total ? all : 'Showing ' + count(shown) + ' of ' + all) + ', ' + count(tripped) + ' tripped');
  }
}
