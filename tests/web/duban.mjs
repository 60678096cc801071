// Helpers for the web end-to-end tests: the real duban binary on a fresh
// database, and Debian's Chromium driven by playwright-core.
//
// Like tests/api: `duban init` in a temporary directory with
// DUBAN_ADMIN_PASSWORD, `duban serve --listen 127.0.0.1:0`, the first line on
// standard output says the address, and at the end SIGTERM must give exit
// status 0 (under AddressSanitizer a leak or a memory error would not).
// The binary is $DUBAN_BIN (default build-san/duban under the repository).
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const bin = process.env.DUBAN_BIN || 'build-san/duban'
export const DUBAN_BIN = isAbsolute(bin) ? bin : join(REPO, bin)
export const ARTIFACTS = join(REPO, 'test-artifacts', 'web')
export const ADMIN_PASSWORD = 'Adm1n-Secret!'
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'

// the binary reads DUBAN_* settings: none of the caller's may leak in
function cleanEnv(extra = {}) {
  const env = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('DUBAN_')) env[k] = v
  return { ...env, ...extra }
}

function tail(path, lines = 60) {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n')
  } catch (e) {
    return `(no log: ${e.message})`
  }
}

/**
 * Starts `duban serve` on a new database, with extra flags if given;
 * resolves with {url, stop(), cleanup()}.
 */
export async function startServer(extraArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), 'duban-web-'))
  const db = join(dir, 'duban.db')
  const init = spawnSync(DUBAN_BIN, ['init', '--db', db], {
    env: cleanEnv({ DUBAN_ADMIN_PASSWORD: ADMIN_PASSWORD }),
    encoding: 'utf8',
  })
  if (init.status !== 0) throw new Error(`duban init failed (${init.status}): ${init.stdout}${init.stderr}`)
  const logPath = join(dir, 'serve.log')
  const proc = spawn(DUBAN_BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...extraArgs], {
    cwd: dir,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', openSync(logPath, 'a')],
  })
  const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })))
  const url = await new Promise((res, rej) => {
    let buf = ''
    const timer = setTimeout(() => rej(new Error(`duban serve did not start; log:\n${tail(logPath)}`)), 20000)
    proc.stdout.setEncoding('utf8')
    proc.stdout.on('data', (d) => {
      buf += d
      const nl = buf.indexOf('\n')
      if (nl < 0) return
      clearTimeout(timer)
      const line = buf.slice(0, nl)
      const prefix = 'duban: listening on '
      if (!line.startsWith(prefix)) rej(new Error(`unexpected first line: ${line}`))
      else res(line.slice(prefix.length).trim().replace(/\/$/, ''))
    })
    proc.on('exit', (code) => rej(new Error(`duban serve exited with ${code}; log:\n${tail(logPath)}`)))
  })
  proc.stdout.resume()
  return {
    url,
    dir,
    logPath,
    /** SIGTERM; resolves with the exit code (null and the signal if killed). */
    async stop() {
      proc.kill('SIGTERM')
      const t = setTimeout(() => proc.kill('SIGKILL'), 20000)
      const r = await exited
      clearTimeout(t)
      return r
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Debian's Chromium, headless, on a fresh profile; never a downloaded one. */
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'duban-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1366, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

export function artifactsDir() {
  mkdirSync(ARTIFACTS, { recursive: true })
  return ARTIFACTS
}

/**
 * Collects the page's console errors and uncaught exceptions, less the
 * failed requests a test provokes on purpose: allowed is a list of
 * [status, /url pattern/].  (Chromium logs every 4xx fetch as an error.)
 */
export function watchConsole(page, allowed = []) {
  const errors = []
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const url = (msg.location() && msg.location().url) || ''
    const ok = allowed.some(([status, re]) => msg.text().includes(`status of ${status}`) && re.test(url))
    if (!ok) errors.push(`${msg.text()} (${url})`)
  })
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`))
  return errors
}

/**
 * Logs in over the API and resolves with call(method, path, body), which
 * sends the bearer token and resolves with the parsed answer (throwing,
 * with the server's error, on a status >= 400).  For setting up what a
 * test does not drive through the screens.
 */
export async function apiAs(url, username, password) {
  const r = await fetch(url + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  const s = await r.json()
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(s)}`)
  return async (method, path, body) => {
    const res = await fetch(url + path, {
      method,
      headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const type = res.headers.get('content-type') || ''
    const data = type.includes('json') ? await res.json() : await res.text()
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`)
    return data
  }
}

/** Today in China Standard Time, YYYY-MM-DD, plus n days. */
export function dayCST(n = 0) {
  return new Date(Date.now() + 8 * 3600 * 1000 + n * 86400000).toISOString().slice(0, 10)
}

/**
 * Types a date into an Element Plus date picker, found by its accessible
 * name (the pickers' aria-label), and closes its panel.
 */
export async function fillDate(scope, name, ymd) {
  const input = scope.getByRole('combobox', { name, exact: true })
  await input.click()
  await input.fill(ymd)
  await input.press('Enter')
}

/**
 * A screenshot into test-artifacts/web: the full page from the top (the
 * sticky header stays put), or what is on screen (full: false, for dialogs).
 */
export async function screenshot(page, name, { full = true } = {}) {
  if (full) await page.evaluate(() => window.scrollTo(0, 0))
  await page.waitForTimeout(300) // let transitions settle
  await page.screenshot({ path: join(artifactsDir(), `${name}.png`), fullPage: full })
}
