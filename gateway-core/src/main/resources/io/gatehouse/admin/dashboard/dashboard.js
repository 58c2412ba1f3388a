// The Gatehouse dashboard (docs/observability.md#dashboard). Plain browser JavaScript, no build step. Every number
// comes from the admin API, called with the token the user typed: it is kept in this tab's sessionStorage and sent
// as "Authorization: Bearer ...", never in a URL. The page polls once a second. API paths are relative to the page,
// so that it also works when a reverse proxy serves the admin address under a prefix.

import { drawSpark, element, format, metricCell, sum, wrap } from './charts.js';

const POLL_MS = 1000;
const RELOADS_EVERY = 5; // polls
const RECENT = 10; // samples behind the numbers shown next to the charts
const TOKEN_KEY = 'gatehouse-admin-token';

const byId = (id) => document.getElementById(id);

class Unauthorized extends Error {}

const state = {
  timer: null,
  polls: 0,
  configVersion: null,
  config: null,
  stats: emptyStats(),
  rows: new Map(), // route id -> its row's cells that change
  poolLayout: null, // the pools and backends the cards show
  backendRows: new Map(), // "pool address" -> its row's cells that change
};

function emptyStats() {
  return { to: null, capacity: 0, enabled: true, routes: new Map() };
}

async function api(path) {
  const headers = { Accept: 'application/json' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  const response = await fetch(path, { headers, cache: 'no-store', credentials: 'omit' });
  if (response.status === 401) {
    throw new Unauthorized();
  }
  if (!response.ok) {
    throw new Error(`${path} answered ${response.status}`);
  }
  return response.json();
}

// ---- signing in and out ----

function showLogin(message) {
  clearTimeout(state.timer);
  byId('dashboard').hidden = true;
  byId('facts').hidden = true;
  byId('sign-out').hidden = true;
  byId('login').hidden = false;
  setStatus('', '');
  const error = byId('login-error');
  error.textContent = message || '';
  error.hidden = !message;
  byId('token').focus();
}

async function signIn(event) {
  event.preventDefault();
  const token = byId('token').value.trim();
  byId('token').value = '';
  sessionStorage.setItem(TOKEN_KEY, token); // empty: no Authorization header (unauthenticated loopback)
  try {
    await api('admin/version');
    start();
  } catch (failure) {
    sessionStorage.removeItem(TOKEN_KEY);
    if (failure instanceof Unauthorized) {
      showLogin(token
        ? 'The admin API refused this token (401 unauthorized). Use the value of admin.token.'
        : 'The admin API needs its token here (401 unauthorized).');
    } else {
      showLogin(`The admin API could not be reached (${failure.message}).`);
    }
  }
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  showLogin('');
}

function start() {
  byId('login').hidden = true;
  byId('login-error').hidden = true;
  byId('dashboard').hidden = false;
  byId('facts').hidden = false;
  byId('sign-out').hidden = false;
  state.polls = 0;
  state.configVersion = null;
  state.poolLayout = null;
  state.stats = emptyStats();
  poll();
}

// ---- polling ----

async function poll() {
  try {
    const withReloads = state.polls % RELOADS_EVERY === 0;
    const after = state.stats.to === null ? '' : `?after=${state.stats.to}`;
    const [version, upstreams, stats, reloads] = await Promise.all([
      api('admin/version'),
      api('admin/upstreams'),
      api(`admin/stats/routes${after}`),
      withReloads ? api('admin/reloads') : null,
    ]);
    if (version.config_version !== state.configVersion) {
      state.config = await api('admin/config');
      state.configVersion = version.config_version;
      buildRoutes(state.config);
    }
    mergeStats(stats);
    renderFacts(version, stats);
    renderRouteStats();
    renderPools(upstreams.pools);
    if (reloads) {
      renderReloads(reloads.reloads);
    }
    setStatus('live', 'ok');
  } catch (failure) {
    if (failure instanceof Unauthorized) {
      sessionStorage.removeItem(TOKEN_KEY);
      showLogin('The admin API no longer accepts the token (a reload may have changed admin.token). Enter it again.');
      return;
    }
    setStatus(`connection lost (${failure.message}); retrying`, 'bad');
  }
  state.polls++;
  state.timer = setTimeout(poll, POLL_MS);
}

function setStatus(text, kind) {
  const status = byId('status');
  status.textContent = text;
  status.className = `status ${kind}`;
}

// ---- the route series: a window of the last `capacity` samples, oldest first ----

function mergeStats(stats) {
  const previous = state.stats;
  const append = previous.to !== null && stats.from === previous.to && previous.capacity === stats.capacity;
  const count = stats.to - stats.from;
  const routes = new Map();
  for (const route of stats.routes) {
    const series = (append && previous.routes.get(route.id)) || {
      requests: new Array(stats.capacity).fill(0),
      errors: new Array(stats.capacity).fill(0),
      p99: new Array(stats.capacity).fill(0),
    };
    shiftIn(series.requests, route.requests, count);
    shiftIn(series.errors, route.errors, count);
    shiftIn(series.p99, route.p99_ms, count);
    routes.set(route.id, series);
  }
  state.stats = { to: stats.to, capacity: stats.capacity, enabled: stats.enabled, routes };
}

function shiftIn(window, samples, count) {
  window.splice(0, count);
  for (let i = 0; i < count; i++) {
    window.push(samples ? samples[i] : 0); // a route idle in these samples has no arrays
  }
}

// ---- rendering ----

function renderFacts(version, stats) {
  byId('gateway-version').textContent = version.version;
  byId('config-version').textContent = version.config_version;
  byId('updated').textContent = new Date(stats.time).toLocaleTimeString();
}

function buildRoutes(config) {
  const body = document.querySelector('#routes tbody');
  body.replaceChildren();
  state.rows.clear();
  for (const route of config.routes) {
    const row = element('tr');
    row.dataset.route = route.id;
    const name = element('th', 'route-id', route.id);
    name.scope = 'row';
    const match = element('td', 'match');
    match.append(...describeMatch(route.match));
    const pool = element('td', 'pool', route.pool);
    const policies = element('td', 'policies');
    policies.append(...describePolicies(route, config).map((text) => element('span', 'chip', text)));
    const rate = metricCell('rate', 'req/s');
    const errors = metricCell('errors', 'errors/s');
    const p99 = metricCell('p99', 'ms');
    row.append(name, match, pool, policies, rate.cell, errors.cell, p99.cell);
    body.append(row);
    state.rows.set(route.id, { rate, errors, p99 });
  }
}

function describeMatch(match) {
  const lines = [];
  const path = [['path', match.path], ['prefix', match.path_prefix], ['template', match.path_template],
    ['regex', match.path_regex]].find(([, value]) => value);
  if (path) {
    const line = element('div');
    line.append(element('code', '', path[1]), ` ${path[0]}`);
    lines.push(line);
  }
  lines.push(element('div', 'muted', match.methods && match.methods.length ? match.methods.join(' ') : 'any method'));
  if (match.host) {
    lines.push(element('div', 'muted', `host ${match.host}`));
  }
  for (const [name, value] of Object.entries(match.headers || {})) {
    lines.push(element('div', 'muted', `header ${name}: ${value}`));
  }
  for (const [name, value] of Object.entries(match.query || {})) {
    lines.push(element('div', 'muted', `query ${name}=${value}`));
  }
  return lines;
}

function describePolicies(route, config) {
  const security = route.security || {};
  const chips = [];
  const auth = security.auth || (config.auth && config.auth.default_methods) || [];
  chips.push(auth.length ? `auth: ${auth.join(', ')}` : 'public');
  if (security.roles && security.roles.length) {
    chips.push(`roles: ${security.roles.join(', ')}`);
  }
  const limits = security.rate_limits || (config.rate_limit && config.rate_limit.default_policies) || [];
  if (limits.length) {
    chips.push(`rate limit: ${limits.join(', ')}`);
  }
  const ipRules = security.ip_rules;
  if (ipRules && (ipRules.allow.length || ipRules.deny.length)) {
    chips.push('IP rules');
  }
  if (security.cors) {
    chips.push('CORS');
  }
  if (route.max_concurrent_requests) {
    chips.push(`max ${route.max_concurrent_requests} in flight`);
  }
  if (route.retry && route.retry.attempts > 1) {
    chips.push(`${route.retry.attempts} attempts`);
  }
  if (route.circuit_breaker) {
    chips.push('circuit breaker');
  }
  if (route.timeouts && route.timeouts.response) {
    chips.push(`timeout ${route.timeouts.response}`);
  }
  if (route.rewrite) {
    chips.push(`rewrite to ${route.rewrite}`);
  } else if (route.strip_prefix) {
    chips.push('strip prefix');
  }
  return chips;
}

function renderRouteStats() {
  const stats = state.stats;
  byId('metrics-off').hidden = stats.enabled;
  for (const [id, cells] of state.rows) {
    const series = stats.routes.get(id);
    if (!stats.enabled || !series) {
      for (const metric of [cells.rate, cells.errors, cells.p99]) {
        metric.value.textContent = '-';
        drawSpark(metric, [], null, '');
      }
      continue;
    }
    const requests = sum(series.requests.slice(-RECENT));
    const errors = sum(series.errors.slice(-RECENT));
    const p99 = Math.max(0, ...series.p99.slice(-RECENT));
    cells.rate.value.textContent = format(requests / RECENT);
    cells.errors.value.textContent = requests ? `${format((100 * errors) / requests)} %` : '0 %';
    cells.errors.detail.textContent = `${format(errors / RECENT)}/s`;
    cells.p99.value.textContent = p99 ? format(p99) : '-';
    drawSpark(cells.rate, series.requests, null, 'requests a second');
    drawSpark(cells.errors, series.errors, null, '5xx answers a second');
    drawSpark(cells.p99, series.p99, series.requests, 'p99 latency (ms) of each second');
  }
}

function backendState(backend) {
  if (backend.drained) {
    return 'drained';
  }
  if (!backend.healthy) {
    return 'down';
  }
  return backend.ejected ? 'ejected' : 'up';
}

/** Builds the pool cards when pools or backends changed; otherwise updates their cells in place. */
function renderPools(pools) {
  const layout = JSON.stringify(Object.entries(pools).map(([name, pool]) =>
    [name, pool.strategy, pool.backends.map((backend) => backend.address)]));
  if (layout !== state.poolLayout) {
    state.poolLayout = layout;
    state.backendRows = new Map();
    byId('pools').replaceChildren(...Object.entries(pools).map(([name, pool]) => poolCard(name, pool)));
  }
  for (const [name, pool] of Object.entries(pools)) {
    for (const backend of pool.backends) {
      const cells = state.backendRows.get(`${name} ${backend.address}`);
      const health = backendState(backend);
      const breaker = backend.circuit_breaker || 'none';
      cells.state.textContent = health;
      cells.state.className = `badge state-${health}`;
      cells.breaker.textContent = breaker.replace('_', ' ');
      cells.breaker.className = `badge breaker-${breaker}`;
      cells.inFlight.textContent = String(backend.in_flight);
      cells.active.textContent = String(backend.connections.active);
      cells.idle.textContent = String(backend.connections.idle);
    }
  }
}

function poolCard(name, pool) {
  const card = element('article', 'pool-card');
  card.dataset.pool = name;
  const heading = element('h3', '', name);
  heading.append(element('span', 'muted', ` ${pool.strategy.replaceAll('_', ' ')}`));
  const table = element('table', 'backends');
  const head = element('tr');
  for (const title of ['Backend', 'State', 'Breaker', 'In flight', 'Active', 'Idle']) {
    head.append(element('th', '', title));
  }
  head.lastElementChild.title = 'upstream connections over all event loops, pooled (idle)';
  head.lastElementChild.previousElementSibling.title = 'upstream connections over all event loops, in use';
  table.append(head);
  for (const backend of pool.backends) {
    const row = element('tr');
    row.dataset.backend = backend.address;
    const cells = {
      state: element('span', 'badge'),
      breaker: element('span', 'badge'),
      inFlight: element('td', 'number in-flight'),
      active: element('td', 'number'),
      idle: element('td', 'number'),
    };
    row.append(element('td', 'address', backend.address), wrap('td', cells.state), wrap('td', cells.breaker),
      cells.inFlight, cells.active, cells.idle);
    table.append(row);
    state.backendRows.set(`${name} ${backend.address}`, cells);
  }
  card.append(heading, table);
  return card;
}

function renderReloads(reloads) {
  const list = byId('reloads');
  if (!reloads.length) {
    list.replaceChildren(element('li', 'muted', 'No reload since the gateway started.'));
    return;
  }
  list.replaceChildren(...reloads.slice(0, 8).map((reload) => {
    const item = element('li', 'reload');
    const time = element('time', '', new Date(reload.time).toLocaleTimeString());
    time.dateTime = reload.time;
    item.append(time, element('span', `badge result-${reload.result}`, reload.result),
      element('span', 'muted', reload.trigger));
    if (!reload.errors.length) {
      item.append(element('span', 'summary', reload.summary || 'no change'));
    } else {
      const errors = element('ul', 'reload-errors');
      errors.append(...reload.errors.map((error) => element('li', '', error)));
      item.append(errors);
    }
    return item;
  }));
}

// ---- start ----

byId('login-form').addEventListener('submit', signIn);
byId('sign-out').addEventListener('click', signOut);
if (sessionStorage.getItem(TOKEN_KEY) === null) {
  showLogin('');
} else {
  start();
}
