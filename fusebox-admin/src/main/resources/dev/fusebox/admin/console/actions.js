// Trip, reset and forced reset of one breaker, each with a required reason. Acting needs the
// operator's token; the server audits every action under the token's user.

import { post, breakerPath } from './api.js';
import { el, duration, clock } from './format.js';

export class Actions {
  constructor(root, key, { token, done }) {
    this.root = root;
    this.key = key;
    this.token = token;
    this.done = done;
    this.timer = null;
    this.busy = false;
    this.stop = token.onChange(() => this.render());
    this.render();
  }

  close() {
    this.stop();
    clearInterval(this.timer);
  }

  render() {
    clearInterval(this.timer);
    if (!this.token.current()) {
      this.root.replaceChildren(el('h3', {}, 'Actions'),
        el('p', { id: 'read-only', className: 'note' },
          'Read-only: enter an operator token (top right) to trip or reset this breaker.'),
        ...(this.refusal ? [el('p', { id: 'action-error', className: 'error', role: 'alert' }, this.refusal)] : []));
      this.refusal = '';
      return;
    }
    this.tripReason = el('input', { type: 'text', id: 'trip-reason', maxLength: 1000, autocomplete: 'off' });
    this.resetReason = el('input', { type: 'text', id: 'reset-reason', maxLength: 1000, autocomplete: 'off' });
    this.tripConfirm = el('div', { className: 'confirm', hidden: true });
    this.cooldown = el('div', { id: 'cooldown', className: 'cooldown', hidden: true });
    this.result = el('p', { id: 'action-result', className: 'result', role: 'status' });
    this.problem = el('p', { id: 'action-error', className: 'error', role: 'alert' });
    this.root.replaceChildren(el('h3', {}, 'Actions'),
      el('form', { className: 'action', onsubmit: (e) => { e.preventDefault(); this.askTrip(); } },
        el('label', { for: 'trip-reason' }, 'Reason to trip (required)'), this.tripReason,
        el('button', { type: 'submit', id: 'trip-button' }, 'Trip…'), this.tripConfirm),
      el('form', { className: 'action', onsubmit: (e) => { e.preventDefault(); this.reset(false); } },
        el('label', { for: 'reset-reason' }, 'Reason to reset (required)'), this.resetReason,
        el('button', { type: 'submit', id: 'reset-button' }, 'Reset'), this.cooldown),
      this.result, this.problem);
  }

  reason(input) {
    const reason = input.value.trim();
    if (!reason) {
      this.say('', 'A reason is required: it goes to the audit trail.');
      input.focus();
    }
    return reason;
  }

  say(result, problem = '') {
    this.result.textContent = result;
    this.problem.textContent = problem;
  }

  askTrip() {
    if (!this.reason(this.tripReason)) return;
    this.say('');
    this.tripConfirm.hidden = false;
    this.tripConfirm.replaceChildren(
      el('p', {}, 'Trip ' + this.key + '? Its calls are refused until someone resets it.'),
      el('button', { type: 'button', id: 'trip-confirm', className: 'danger', onclick: () => this.trip() }, 'Confirm trip'),
      el('button', { type: 'button', onclick: () => { this.tripConfirm.hidden = true; } }, 'Cancel'));
    this.tripConfirm.querySelector('#trip-confirm').focus();
  }

  async trip() {
    if (this.busy) return;
    const reason = this.reason(this.tripReason);
    this.tripConfirm.hidden = true;
    if (!reason) return;
    await this.act('trip', { reason }, 'Tripped');
  }

  async reset(force) {
    if (this.busy) return;
    const reason = this.reason(this.resetReason);
    if (!reason) return;
    clearInterval(this.timer);
    this.cooldown.hidden = true;
    await this.act('reset', { reason, force }, force ? 'Forced reset' : 'Reset');
  }

  /** One action at a time: a double click or a second submit while one is on its way sends nothing. */
  async act(action, body, done) {
    if (this.busy) return;
    this.busy = true;
    const buttons = [...this.root.querySelectorAll('button')];
    buttons.forEach((b) => { b.disabled = true; });
    this.say('Sending…');
    try {
      const answer = await post(breakerPath(this.key, '/' + action), body, this.token.current());
      this.say(done + ' by ' + answer.audit.user + ' at ' + clock(answer.audit.timestamp) + ' (audited as '
        + answer.audit.action + ').');
      this.done();
    } catch (e) {
      if (e.status === 409 && e.code === 'RESET_DENIED') {
        this.say('');
        this.showCooldown(Number(e.body.retryAfterMs) || 0);
      } else if (e.status === 401) {
        this.refusal = action + ' not done: the server refused your token (' + e.message + ').';
        this.token.refused(e.message); // forgets it: the panel turns read-only and shows the refusal
      } else {
        this.say('', action + ' failed: ' + e.message + (e.code ? ' (' + e.code + ')' : ''));
      }
    } finally {
      this.busy = false;
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  /**
   * The reset was refused inside the cooldown: the time left, counting down, and a forced reset
   * behind a second confirmation.
   */
  showCooldown(retryAfterMs) {
    const until = Date.now() + retryAfterMs;
    const left = el('strong', { id: 'cooldown-left' });
    const confirm = el('div', { className: 'confirm', hidden: true },
      el('p', {}, 'Force the reset now, inside the cooldown? It is audited as a forced reset under your name.'),
      el('button', { type: 'button', id: 'force-confirm', className: 'danger', onclick: () => this.reset(true) },
        'Confirm forced reset'),
      el('button', { type: 'button', onclick: () => { confirm.hidden = true; } }, 'Cancel'));
    const force = el('button', { type: 'button', id: 'force-button',
      onclick: () => { confirm.hidden = false; confirm.querySelector('#force-confirm').focus(); } }, 'Force reset…');
    const tick = () => {
      const ms = until - Date.now();
      left.textContent = ms > 0 ? duration(ms) : 'none: a reset works now';
      if (ms <= 0) clearInterval(this.timer);
    };
    this.cooldown.replaceChildren(
      el('p', {}, 'Reset refused: the breaker tripped less than its cooldown ago. Time left: ', left, '.'),
      force, confirm);
    this.cooldown.hidden = false;
    tick();
    this.timer = setInterval(tick, 1000);
  }
}
