// The console: one page, two views (every breaker, one breaker) chosen by the URL's #fragment,
// fed by one event stream. Plain ES modules, no framework, no build step.

import { Stream } from './stream.js';
import { TokenBox } from './token.js';
import { Overview } from './overview.js';
import { BreakerPage } from './breaker.js';
import { setText, clock } from './format.js';

const main = document.getElementById('main');
const stream = new Stream('/api/events', document.getElementById('live'), document.getElementById('banner'));
const token = new TokenBox(document.getElementById('token'));
const load = document.getElementById('load');
const storeBanner = document.getElementById('store-banner');
let view = null;

function route() {
  if (view) view.close();
  main.replaceChildren();
  const match = /^#\/breaker\/(.+)$/.exec(location.hash);
  if (match) {
    const key = decodeURIComponent(match[1]);
    document.title = key + ' · Fusebox console';
    view = new BreakerPage(main, key, { stream, token });
  } else {
    document.title = 'Fusebox console';
    view = new Overview(main, { stream });
  }
}

stream.on('summary', (s) => {
  const over = s.load > s.loadShedThreshold;
  load.dataset.state = over ? 'shedding' : 'ok';
  setText(load, 'System load ' + s.load.toFixed(2) + ' of ' + s.loadShedThreshold.toFixed(2) + ' to shed'
    + (over ? ': shedding heavy calls' : '') + ' · ' + s.inFlightCalls + ' calls in flight');
});

// The store is what makes a trip durable and shared: when it is not up, the page must say so.
stream.on('summary', (s) => {
  const store = s.store;
  const up = !store || store.status === 'up';
  storeBanner.hidden = up;
  if (up) return;
  const since = clock(Date.parse(store.since));
  setText(storeBanner, store.status === 'failed'
    ? 'The stored state could not be read (since ' + since + '): what is tripped is not known here, and'
      + ' operator actions are refused. ' + (store.problem || '')
    : 'The store is down since ' + since + ': trips and resets are refused, and trips made on other instances'
      + ' may not show here. ' + (store.problem || ''));
});

window.addEventListener('hashchange', () => {
  route();
  main.focus();
});
route();
stream.start();
