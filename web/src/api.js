// api.js - the one way the pages talk to the server.
//
// The session is the HttpOnly cookie that POST /api/v1/session sets; the
// CSRF token from that answer is kept in sessionStorage (this tab only) and
// sent as X-CSRF-Token on every unsafe request.  Errors become ApiError with
// the server's {code, message, field}.  A lost session (401) or a refused
// CSRF token calls the handler that session.js installs, which sends the
// user back to the login page with a note.

const CSRF_KEY = 'duban.csrf'
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

let csrfToken = readStorage()
let authLost = null

function readStorage() {
  try {
    return sessionStorage.getItem(CSRF_KEY)
  } catch {
    return null
  }
}

export function setCsrfToken(token) {
  csrfToken = token || null
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token)
    else sessionStorage.removeItem(CSRF_KEY)
  } catch {
    /* storage disabled: memory only */
  }
}

export function hasCsrfToken() {
  return !!csrfToken
}

/** fn(code) is called when a request finds the session gone. */
export function onAuthLost(fn) {
  authLost = fn
}

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message || code)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field || null
  }
}

function buildUrl(path, query) {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') params.append(k, String(v))
  }
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

/**
 * api('GET', '/api/v1/units', { query: { page: 1 } })
 * api('POST', '/api/v1/units', { body: {...} })
 * api('POST', '/api/v1/attachments', { query: { filename }, raw: file })  (a file as the body)
 * Resolves with the parsed JSON answer; rejects with ApiError.
 */
export async function api(method, path, { query, body, raw, contentType, signal, quiet } = {}) {
  const headers = { Accept: 'application/json' }
  if (raw !== undefined) headers['Content-Type'] = contentType || 'application/octet-stream'
  else if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (!SAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken
  let res
  try {
    res = await fetch(buildUrl(path, query), {
      method,
      headers,
      body: raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    })
  } catch (e) {
    if (e && e.name === 'AbortError') throw e
    throw new ApiError(0, 'network', e && e.message)
  }
  let data = null
  const type = res.headers.get('Content-Type') || ''
  if (type.includes('application/json')) {
    try {
      data = await res.json()
    } catch {
      data = null
    }
  }
  if (!res.ok) {
    const e = (data && data.error) || {}
    const err = new ApiError(
      res.status,
      e.code || `http_${res.status}`,
      e.message || res.statusText,
      e.field,
    )
    if (Array.isArray(e.rows)) err.rows = e.rows // an import's bad rows
    const retry = Number(res.headers.get('Retry-After'))
    if (retry > 0) err.retryAfter = retry // seconds, with a 429
    const lost =
      (res.status === 401 && path !== '/api/v1/session') ||
      (res.status === 403 && err.code === 'csrf')
    if (lost && authLost && !quiet) authLost(err.code)
    throw err
  }
  return data
}

/** Every item of a paged list, fetching page after page. */
export async function fetchAll(path, query = {}, { signal } = {}) {
  const perPage = 500
  const items = []
  for (let page = 1; page < 10000; page++) {
    const data = await api('GET', path, {
      query: { ...query, page, per_page: perPage },
      signal,
    })
    items.push(...data.items)
    if (data.items.length < perPage || items.length >= data.total) break
  }
  return items
}
