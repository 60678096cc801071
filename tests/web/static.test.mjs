// The web front end as the binary serves it (src/http/static.c): types,
// caching, ETag and 304, gzip, the single-page app's fallback, and the JSON
// 404 that API paths keep.  Plain HTTP, no browser.
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { gunzipSync } from 'node:zlib'
import { startServer } from './duban.mjs'

/** One raw request (no decompression): {status, headers, body: Buffer}. */
function get(url, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('static files', { timeout: 60000 }, () => {
  let server, index

  before(async () => {
    server = await startServer()
    index = await get(server.url + '/')
  })

  after(async () => {
    const { code, signal } = await server.stop()
    assert.equal(code, 0, `duban serve exited with ${code} (${signal}); see ${server.logPath}`)
    server.cleanup()
  })

  it('serves index.html at / for revalidation, with a CSP', () => {
    assert.equal(index.status, 200)
    assert.equal(index.headers['content-type'], 'text/html; charset=utf-8')
    assert.equal(index.headers['cache-control'], 'no-cache')
    assert.match(index.headers.etag, /^"[0-9a-f]{16}"$/)
    assert.match(index.headers['content-security-policy'], /script-src 'self'/)
    assert.match(index.body.toString(), /<div id="app">/)
  })

  it('answers 304 to a matching If-None-Match', async () => {
    const r = await get(server.url + '/', { headers: { 'If-None-Match': index.headers.etag } })
    assert.equal(r.status, 304)
    assert.equal(r.body.length, 0)
    assert.equal(r.headers.etag, index.headers.etag)
    const other = await get(server.url + '/', { headers: { 'If-None-Match': '"0000000000000000"' } })
    assert.equal(other.status, 200)
  })

  it('serves the app\'s own routes as index.html (GET and HEAD)', async () => {
    for (const path of ['/units', '/users/12', '/calendar?x=1', '/metricsx', '/deep/er/path']) {
      const r = await get(server.url + path)
      assert.equal(r.status, 200, path)
      assert.deepEqual(r.body, index.body, path)
    }
    const head = await get(server.url + '/audit', { method: 'HEAD' })
    assert.equal(head.status, 200)
    assert.equal(head.body.length, 0)
    assert.equal(head.headers['content-type'], 'text/html; charset=utf-8')
  })

  it('caches hashed assets for a year and gzips them for who accepts it', async () => {
    const src = /src="(\/assets\/[^"]+\.js)"/.exec(index.body.toString())[1]
    const plain = await get(server.url + src, { headers: { 'Accept-Encoding': 'identity' } })
    assert.equal(plain.status, 200)
    assert.equal(plain.headers['content-type'], 'text/javascript; charset=utf-8')
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable')
    assert.equal(plain.headers['content-encoding'], undefined)
    assert.equal(plain.headers.vary, 'Accept-Encoding')
    const gz = await get(server.url + src, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } })
    assert.equal(gz.headers['content-encoding'], 'gzip')
    assert.notEqual(gz.headers.etag, plain.headers.etag)
    assert.ok(gz.body.length < plain.body.length)
    assert.deepEqual(gunzipSync(gz.body), plain.body)
    const refused = await get(server.url + src, { headers: { 'Accept-Encoding': 'gzip;q=0' } })
    assert.equal(refused.headers['content-encoding'], undefined)
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(index.body.toString())[1]
    assert.equal((await get(server.url + css)).headers['content-type'], 'text/css; charset=utf-8')
    assert.equal((await get(server.url + '/favicon.svg')).headers['content-type'], 'image/svg+xml')
  })

  it('keeps the JSON 404 for the API, Open311, missing assets and other methods', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/nope'],
      ['GET', '/api'],
      ['GET', '/open311/v2/nope.json'],
      ['GET', '/assets/nope.js'],
      ['POST', '/units'],
    ]) {
      const r = await get(server.url + path, { method })
      assert.equal(r.status, 404, `${method} ${path}`)
      assert.match(r.headers['content-type'], /^application\/json/)
      assert.equal(JSON.parse(r.body).error.code, 'not_found', `${method} ${path}`)
      assert.equal(r.headers['cache-control'], 'no-store')
    }
    const health = await get(server.url + '/healthz')
    assert.deepEqual(JSON.parse(health.body), { status: 'ok' })
  })
})
