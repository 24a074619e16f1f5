// The operator's token: entered once, kept in sessionStorage for this tab only, sent as
// "Authorization: Bearer" and never in a cookie or a URL. Without one the console is read-only.

import { get, ApiError } from './api.js';
import { el } from './format.js';

const TOKEN = 'fusebox.token';
const USER = 'fusebox.user';

export class TokenBox {
  constructor(root) {
    this.root = root;
    this.listeners = new Set();
    this.problem = '';
    this.render();
  }

  /** The token, or null when the console is read-only. */
  current() {
    return sessionStorage.getItem(TOKEN);
  }

  /** The user the server named for the token. */
  user() {
    return sessionStorage.getItem(USER);
  }

  /** Calls fn() when the token is set or forgotten. */
  onChange(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The server refused the token (401): forget it and say why. */
  refused(message) {
    this.forget('The server refused the token: ' + message + '. Enter a valid token to act again.');
  }

  forget(problem = '') {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(USER);
    this.problem = problem;
    this.render();
    this.changed();
  }

  changed() {
    for (const fn of [...this.listeners]) fn();
  }

  render(editing = false) {
    const token = this.current();
    if (token) {
      this.root.replaceChildren(
        el('span', { className: 'who' }, 'Operator: ', el('strong', { id: 'token-user' }, this.user() || '?')),
        el('button', { type: 'button', id: 'token-forget', onclick: () => this.forget() }, 'Forget token'));
      return;
    }
    if (!editing) {
      this.root.replaceChildren(
        el('span', { className: 'who', id: 'token-user' }, 'Read-only'),
        el('button', { type: 'button', id: 'token-enter', onclick: () => this.render(true) }, 'Enter token'),
        ...(this.problem ? [el('p', { className: 'error', role: 'alert', id: 'token-problem' }, this.problem)] : []));
      return;
    }
    const input = el('input', { type: 'password', id: 'token-input', name: 'token', autocomplete: 'off',
      required: true, spellcheck: false });
    const problem = el('p', { className: 'error', role: 'alert', id: 'token-problem' }, this.problem);
    const form = el('form', { className: 'token-form', onsubmit: (e) => { e.preventDefault(); this.check(input, problem); } },
      el('label', { for: 'token-input' }, 'Operator token'), input,
      el('button', { type: 'submit', id: 'token-use' }, 'Use token'),
      el('button', { type: 'button', onclick: () => { this.problem = ''; this.render(); } }, 'Cancel'),
      problem);
    this.root.replaceChildren(form);
    input.focus();
  }

  async check(input, problem) {
    const token = input.value.trim();
    if (!token) {
      problem.textContent = 'Enter the token from the tokens file (user:token).';
      return;
    }
    try {
      const who = await get('/api/whoami', token);
      sessionStorage.setItem(TOKEN, token);
      sessionStorage.setItem(USER, who.user);
      this.problem = '';
      this.render();
      this.changed();
    } catch (e) {
      const why = e instanceof ApiError && e.status === 401 ? 'The server refused this token: ' + e.message + '.'
        : 'The token could not be checked: ' + e.message + '.';
      problem.textContent = why;
      input.select();
    }
  }
}
