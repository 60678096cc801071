// The session's end as the user sees it: an idle session times out and
// the next page sends the user to the login page with a note; five wrong
// passwords lock the account and the login page says so.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { join } from 'node:path'
import { ADMIN_PASSWORD, artifactsDir, launchBrowser, startServer, watchConsole } from './duban.mjs'

describe('session end', { timeout: 120000 }, () => {
  let server, browser, page, consoleErrors

  before(async () => {
    server = await startServer(['--session-idle', '2'])
    browser = await launchBrowser()
    page = browser.context.pages()[0] || (await browser.context.newPage())
    page.setDefaultTimeout(15000)
    consoleErrors = watchConsole(page, [
      [401, /\/api\/v1\/(me|session|units)(\?.*)?$/],
      [403, /\/api\/v1\/session$/],
    ])
  })

  after(async () => {
    if (browser) await browser.close()
    if (server) {
      const { code, signal } = await server.stop()
      assert.equal(code, 0, `duban serve exited with ${code} (${signal}); see ${server.logPath}`)
      server.cleanup()
    }
  })

  async function login(password) {
    await page.getByTestId('login-username').fill('admin')
    await page.getByTestId('login-password').fill(password)
    await page.getByTestId('login-submit').click()
  }

  it('sends an idle session back to the login page, then to where it was', async () => {
    await page.goto(server.url + '/')
    await login(ADMIN_PASSWORD)
    await page.getByTestId('home-greeting').waitFor()
    await page.waitForTimeout(3500) // --session-idle 2
    await page.getByTestId('menu-units').click()
    await page.waitForURL(/\/login\?/)
    const note = page.getByTestId('login-note')
    await note.waitFor()
    assert.match(await note.innerText(), /登录已因长时间未操作而超时/)
    assert.match(page.url(), /reason=expired/)
    await page.screenshot({ path: join(artifactsDir(), '12-session-expired.png'), fullPage: true })
    await login(ADMIN_PASSWORD)
    await page.waitForURL(/\/units$/)
    await page.getByTestId('unit-table').waitFor()
  })

  it('locks the account after five wrong passwords and says so', async () => {
    await page.getByRole('button', { name: '退出登录' }).click()
    await page.waitForURL(/\/login/)
    for (let i = 0; i < 5; i++) {
      await login(`wrong-${i}`)
      await page.getByTestId('login-error').waitFor()
    }
    await login(ADMIN_PASSWORD) // even the right one, while locked
    const err = page.getByTestId('login-error')
    await err.getByText('账号已被锁定').waitFor()
    assert.match(await err.innerText(), /locked after 5 failed logins/)
    await page.screenshot({ path: join(artifactsDir(), '13-account-locked.png'), fullPage: true })
  })

  it('logged no console errors', () => {
    assert.deepEqual(consoleErrors, [])
  })
})
