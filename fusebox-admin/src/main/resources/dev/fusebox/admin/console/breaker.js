// One breaker: what it is doing, charts of its last 15 minutes (kept by the server), why it
// tripped, the actions, and its audit trail. Live from the event stream.

import { get, breakerPath } from './api.js';
import { el, setText, stateLabel, score, millis, ago, when, precise, clock, duration, count } from './format.js';
import { Chart, COLOURS } from './charts.js';
import { Actions } from './actions.js';

const RATES = [['calls', 'Calls'], ['failures', 'Failures'], ['timeouts', 'Timeouts'], ['rejections', 'Rejected'],
  ['sheds', 'Shed']];
const KEEP = 900;

export class BreakerPage {
  constructor(root, key, { stream, token }) {
    this.key = key;
    this.stream = stream;
    this.status = null;
    this.history = null;
    this.build(root, token);
    this.stops = [
      stream.on('summary', (s) => this.onSummary(s)),
      stream.on('state', (e) => this.mine(e) && this.loadStatus()),
      stream.on('trip', (e) => this.mine(e) && this.loadAll()),
      stream.on('reset', (e) => this.mine(e) && this.loadAll()),
      stream.on('reset-denied', (e) => this.mine(e) && this.loadAudit()),
      stream.on('breaker-removed', (e) => this.mine(e) && this.gone()),
      stream.onOpen(() => this.loadAll()),
    ];
    this.loadAll();
  }

  mine(e) {
    return e.bookmaker === this.key;
  }

  close() {
    this.stops.forEach((stop) => stop());
    this.actions.close();
    this.charts.forEach((c) => c.destroy());
  }

  build(root, token) {
    this.badge = el('span', { className: 'badge', id: 'state' }, '…');
    this.facts = el('dl', { className: 'facts', id: 'facts' });
    this.notice = el('p', { className: 'error', role: 'alert', id: 'breaker-problem' });
    const actions = el('section', { className: 'actions', 'aria-label': 'Actions' });
    const charts = el('div', { className: 'charts' });
    this.periods = el('p', { id: 'periods', className: 'note' });
    this.evidence = el('tbody', { id: 'evidence' });
    this.evidenceTable = el('table', { className: 'plain' },
      el('caption', {}, 'The failures that made up the score when it tripped, oldest first'),
      el('thead', {}, el('tr', {}, ...['Time', 'Kind', 'Weight', 'Error'].map((h) => el('th', { scope: 'col' }, h)))),
      this.evidence);
    this.evidenceNote = el('p', { className: 'note', id: 'evidence-note' });
    this.audit = el('tbody', { id: 'audit' });
    root.append(
      el('p', {}, el('a', { href: '#/' }, '← All breakers')),
      el('h2', {}, el('span', { className: 'key', id: 'breaker-key' }, this.key), ' ', this.badge),
      this.notice,
      el('div', { className: 'top-row' }, el('section', { 'aria-label': 'Status' }, this.facts), actions),
      el('section', { 'aria-labelledby': 'charts-title' },
        el('h3', { id: 'charts-title' }, 'Last 15 minutes'),
        el('p', { className: 'note' }, 'One sample a second. Shaded: open (red) and half-open (amber), also listed below.'),
        charts, this.periods),
      el('section', { 'aria-labelledby': 'evidence-title' },
        el('h3', { id: 'evidence-title' }, 'Why it tripped'), this.evidenceNote, this.evidenceTable),
      el('section', { 'aria-labelledby': 'audit-title' },
        el('h3', { id: 'audit-title' }, 'Audit trail'),
        el('table', { className: 'plain' }, el('caption', {}, 'Trips, resets and refused resets, newest first'),
          el('thead', {}, el('tr', {}, ...['Time', 'Action', 'User', 'Reason'].map((h) => el('th', { scope: 'col' }, h)))),
          this.audit)));
    this.actions = new Actions(actions, this.key, { token, done: () => this.loadAll() });
    const states = () => (this.history ? this.history.state : []);
    const box = () => charts.appendChild(el('div', { className: 'chart' }));
    this.charts = [
      new Chart(box(), 'Calls per second', RATES.map(([id, label]) => ({ label, ...COLOURS[id] })), states),
      new Chart(box(), 'Average latency (ms)', [{ label: 'Latency', ...COLOURS.latency }], states),
      new Chart(box(), 'Failure score', [{ label: 'Score', ...COLOURS.score },
        { label: 'Threshold', ...COLOURS.threshold }], states),
    ];
  }

  loadAll() {
    this.loadStatus();
    this.loadHistory();
    this.loadEvidence();
    this.loadAudit();
  }

  async loadStatus() {
    try {
      this.status = await get(breakerPath(this.key));
      setText(this.notice, '');
      this.paintStatus();
      if (this.history) this.draw(); // the threshold line needs the status
    } catch (e) {
      setText(this.notice, e.status === 404 ? 'There is no breaker "' + this.key + '" (any more).'
        : 'Could not load the breaker: ' + e.message);
    }
  }

  gone() {
    setText(this.notice, 'The registry removed this breaker; its history is gone.');
  }

  paintStatus() {
    const s = this.status;
    this.badge.dataset.state = s.state;
    setText(this.badge, stateLabel(s.state));
    const now = this.stream.now();
    const rows = [
      ['State', stateLabel(s.state)
        + (s.recoveryPolicy === 'MANUAL' ? ' (recovers by operator reset)' : ' (recovers automatically)')],
      ['Score', score(s.failures) + ' of ' + score(s.failureThreshold) + ' to trip'],
      ['Tripped', s.trippedAt ? when(s.trippedAt) + ', ' + ago(s.trippedAt, now) : 'no'],
      ['By', s.trippedBy], ['Why', s.tripReason], ['Cause', s.tripCause],
      ['Next trial call', s.nextAttemptAt ? when(s.nextAttemptAt) : null],
      ['Last error', s.lastError ? s.lastError + (s.lastFailureAt ? ' (' + ago(s.lastFailureAt, now) + ')' : '') : null],
      ['Average latency', millis(s.avgLatency)],
      ['Last reset', s.lastResetAt ? when(s.lastResetAt) + ' by ' + s.lastResetBy + ': ' + s.lastResetReason : 'never'],
      ['Trips', String(s.tripCount)],
      ['Calls', count(s.counters.calls) + ' (' + count(s.counters.failures) + ' failed, '
        + count(s.counters.timeouts) + ' timed out); ' + count(s.counters.rejections) + ' rejected, '
        + count(s.counters.sheds) + ' shed'],
    ];
    this.facts.replaceChildren(...rows.filter(([, v]) => v !== null && v !== undefined && v !== '')
      .flatMap(([k, v]) => [el('dt', {}, k), el('dd', { dataset: { fact: k.toLowerCase() } }, v)]));
  }

  async loadHistory() {
    try {
      this.history = await get(breakerPath(this.key, '/history'));
      this.draw();
    } catch (e) {
      setText(this.periods, 'Could not load the history: ' + e.message);
    }
  }

  onSummary(s) {
    if (!this.history) return;
    const h = this.history;
    if (h.at.length > 0 && s.at <= h.at[h.at.length - 1]) return; // already in the history we loaded
    const b = s.breakers.find((x) => x.bookmaker === this.key);
    h.at.push(s.at);
    h.state.push(b ? b.state : 'CLOSED');
    h.failures.push(b ? b.failures : 0);
    h.avgLatency.push(b ? b.avgLatency : null);
    for (const [id] of RATES) h.perSecond[id].push(b ? b.perSecond[id] : 0);
    if (h.at.length > KEEP) {
      for (const column of [h.at, h.state, h.failures, h.avgLatency, ...RATES.map(([id]) => h.perSecond[id])]) {
        column.splice(0, column.length - KEEP);
      }
    }
    if (b && this.status && (b.state !== this.status.state || b.failures !== this.status.failures)) {
      this.loadStatus();
    }
    this.draw();
  }

  draw() {
    const h = this.history;
    const xs = h.at.map((t) => t / 1000);
    const threshold = this.status ? this.status.failureThreshold : null;
    this.charts[0].setData([xs, ...RATES.map(([id]) => h.perSecond[id])]);
    this.charts[1].setData([xs, h.avgLatency]);
    this.charts[2].setData([xs, h.failures, h.at.map(() => threshold)]);
    setText(this.periods, this.describePeriods() + (h.kept === false
      ? ' This server keeps no history for this breaker now: more than 1,000 breakers are active at once,'
        + ' and it gets one when another frees up.'
      : ''));
  }

  /** The state over time in words, for readers who cannot see the shading. */
  describePeriods() {
    const h = this.history;
    if (h.at.length === 0) return 'No samples yet: the first comes within a second.';
    const spans = [];
    for (let i = 0; i < h.state.length; i++) {
      if (h.state[i] === 'CLOSED') continue;
      let j = i;
      while (j + 1 < h.state.length && h.state[j + 1] === h.state[i]) j++;
      const end = j === h.state.length - 1 ? 'now' : clock(h.at[j]);
      spans.push(stateLabel(h.state[i]) + ' from ' + clock(h.at[i] - 1000) + ' to ' + end
        + ' (' + duration(h.at[j] - h.at[i] + 1000) + ')');
      i = j;
    }
    const since = 'since ' + clock(h.at[0] - 1000);
    return spans.length === 0 ? 'State ' + since + ': closed throughout.' : 'State ' + since + ': ' + spans.join('; ') + '.';
  }

  async loadEvidence() {
    try {
      const failures = await get(breakerPath(this.key, '/trip-evidence'));
      this.evidence.replaceChildren(...failures.map((f) => el('tr', {},
        el('td', {}, precise(f.at)), el('td', {}, f.kind), el('td', {}, score(f.weight)), el('td', {}, f.error || ''))));
      this.evidenceTable.hidden = failures.length === 0;
      setText(this.evidenceNote, failures.length === 0
        ? 'No evidence: it has not tripped on its own in this process (an operator\'s trip keeps none).'
        : failures.length + ' failures in the window when it last tripped on its own.');
    } catch (e) {
      setText(this.evidenceNote, 'Could not load the evidence: ' + e.message);
    }
  }

  async loadAudit() {
    try {
      const records = await get(breakerPath(this.key, '/audit?limit=50'));
      this.audit.replaceChildren(...records.map((r) => el('tr', {},
        el('td', {}, when(r.timestamp)), el('td', {}, r.action), el('td', {}, r.user), el('td', {}, r.reason))));
      if (records.length === 0) {
        this.audit.replaceChildren(el('tr', {}, el('td', { colSpan: 4, className: 'note' }, 'Nothing yet.')));
      }
    } catch (e) {
      this.audit.replaceChildren(el('tr', {}, el('td', { colSpan: 4, className: 'error' },
        'Could not load the audit trail: ' + e.message)));
    }
  }
}
