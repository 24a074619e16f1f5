// The admin API, as the console calls it. The token goes in the Authorization header only.

/** An answer other than 2xx: the status and the API's {error, message} (or what could be read). */
export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body || {};
  }
}

/** The path of a breaker's endpoint; keys may hold '/', '%' or spaces, so each is one encoded segment. */
export function breakerPath(key, suffix = '') {
  return '/api/breakers/' + encodeURIComponent(key) + suffix;
}

async function call(method, path, { token, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new ApiError(0, 'UNREACHABLE', 'the admin server cannot be reached (' + e.message + ')');
  }
  let json = null;
  try {
    json = await response.json();
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    const code = json && json.error ? json.error : 'HTTP_' + response.status;
    const message = json && json.message ? json.message : response.statusText || 'request failed';
    throw new ApiError(response.status, code, message, json);
  }
  return json;
}

export function get(path, token) {
  return call('GET', path, { token });
}

export function post(path, body, token) {
  return call('POST', path, { token, body });
}
