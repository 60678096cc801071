// The staff web app, end to end: log in, build a piece of the unit tree,
// open an account, count a deadline, read the audit trail, switch to
// English, log out - in Debian's Chromium, against the real binary.
// Screenshots of each screen go to test-artifacts/web/.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { join } from 'node:path'
import { ADMIN_PASSWORD, artifactsDir, launchBrowser, startServer, watchConsole } from './duban.mjs'

const T = 15000 // ms for one thing to appear

describe('web app', { timeout: 180000 }, () => {
  let server, browser, page, shots, consoleErrors

  const shot = async (name) => {
    await page.waitForTimeout(250) // let transitions settle
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true })
  }

  before(async () => {
    shots = artifactsDir()
    server = await startServer()
    browser = await launchBrowser()
    page = browser.context.pages()[0] || (await browser.context.newPage())
    page.setDefaultTimeout(T)
    // the failures the steps below provoke on purpose: no session yet on
    // load and after logout, the wrong password, the weak password, the bad
    // calendar file
    consoleErrors = watchConsole(page, [
      [401, /\/api\/v1\/(me|session)$/],
      [422, /\/api\/v1\/users$/],
      [422, /\/api\/v1\/calendar\/years$/],
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

  it('shows the login page for a visitor, in Chinese', async () => {
    await page.goto(server.url + '/')
    await page.waitForURL(/\/login$/)
    await page.getByRole('heading', { name: '欢迎使用督办系统' }).waitFor()
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN')
    await shot('01-login')
  })

  it('says so when the password is wrong', async () => {
    await page.getByTestId('login-username').fill('admin')
    await page.getByTestId('login-password').fill('not-the-password')
    await page.getByTestId('login-submit').click()
    const err = page.getByTestId('login-error')
    await err.waitFor()
    assert.match(await err.innerText(), /用户名或密码错误/)
    assert.match(await err.innerText(), /wrong username or password/) // the server's words
    await shot('02-login-error')
  })

  it('logs in and shows the home page with the unit, roles and shortcuts', async () => {
    await page.getByTestId('login-username').fill('admin')
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD)
    await page.keyboard.press('Enter')
    await page.getByTestId('home-greeting').waitFor()
    assert.match(await page.getByTestId('home-greeting').innerText(), /系统管理员/)
    assert.equal(await page.getByTestId('home-unit').innerText(), '协调小组办公室')
    assert.match(await page.getByTestId('who').innerText(), /协调小组办公室/)
    for (const role of ['系统管理员', '安全管理员', '安全审计员', '协调办公室'])
      await page.locator('.roles').getByText(role, { exact: true }).waitFor()
    await page.getByTestId('shortcut-users').waitFor()
    await page.getByTestId('shortcut-audit').waitFor()
    await shot('03-home')
  })

  async function createUnit(parentName, name, kindLabel, code, shotName) {
    const row = page.locator('.el-table__row', { hasText: parentName }).first()
    await row.getByRole('button', { name: '添加下级' }).click()
    const dlg = page.getByRole('dialog', { name: '新建下级单位' })
    await dlg.waitFor()
    await dlg.getByTestId('unit-form-name').fill(name)
    // the dialog may already propose the kind (the level below the
    // parent's); otherwise open the select and pick it in the open list
    const kind = dlg.getByTestId('unit-form-kind')
    if (!((await kind.textContent()) || '').includes(kindLabel)) {
      await kind.click()
      await page.locator('.el-select-dropdown__item:visible')
        .filter({ hasText: new RegExp(`^\\s*${kindLabel.replace(/[()]/g, '\\$&')}\\s*$`) })
        .first().click()
    }
    await page.locator('.el-select-dropdown:visible').first()
      .waitFor({ state: 'hidden', timeout: 2000 })
      .catch(() => {})
    await dlg.getByTestId('unit-form-code').fill(code)
    if (shotName) await shot(shotName)
    await dlg.getByTestId('unit-form-submit').click()
    await dlg.waitFor({ state: 'hidden' })
    await page.getByTestId('unit-table').getByText(name, { exact: true }).waitFor()
  }

  it('creates a city and a county under it on the units page', async () => {
    await page.getByTestId('menu-units').click()
    await page.waitForURL(/\/units$/)
    await page.getByTestId('unit-table').getByText('协调小组办公室').waitFor()
    await createUnit('协调小组办公室', '西宁市', '市', '630100')
    await createUnit('西宁市', '城中区', '县(区)', '630102', '04-unit-dialog')
    // the county sits one level below the city in the tree
    const indent = async (name) =>
      page.locator('.el-table__row', { hasText: name }).first().locator('.el-table__indent').evaluate((e) => e.offsetWidth)
    assert.ok((await indent('城中区')) > (await indent('西宁市')))
    await shot('04-units-tree')
  })

  it('keeps the session and the page across a reload', async () => {
    await page.reload()
    await page.getByTestId('unit-table').getByText('城中区', { exact: true }).waitFor()
    assert.match(page.url(), /\/units$/)
  })

  it('opens a liaison account, showing the server\'s field error first', async () => {
    await page.getByTestId('menu-users').click()
    await page.waitForURL(/\/users$/)
    await page.getByTestId('user-table').getByText('admin', { exact: true }).waitFor()
    await page.getByTestId('user-create').click()
    const dlg = page.getByRole('dialog', { name: '开设用户账号' })
    await dlg.waitFor()
    await dlg.getByTestId('user-form-username').fill('liaison1')
    await dlg.getByTestId('user-form-display-name').fill('张联络')
    await dlg.getByTestId('user-form-password').fill('short')
    await dlg.getByTestId('user-form-unit').click()
    await page.locator('.el-tree-node__content:visible').filter({ hasText: /^城中区$/ }).click()
    await dlg.getByText('联络员', { exact: true }).click()
    await dlg.getByTestId('user-form-submit').click()
    // the server refuses the password and names the field
    await dlg.getByTestId('user-dialog-error').waitFor()
    await dlg.locator('.el-form-item.is-error', { hasText: '初始密码' }).waitFor()
    await shot('05-user-field-error')
    await dlg.getByTestId('user-form-password').fill('Liaison-2026')
    await dlg.getByTestId('user-form-submit').click()
    await dlg.waitFor({ state: 'hidden' })
    const row = page.locator('.el-table__row', { hasText: 'liaison1' })
    await row.waitFor()
    assert.match(await row.innerText(), /张联络/)
    assert.match(await row.innerText(), /城中区/)
    assert.match(await row.innerText(), /联络员/)
    await shot('06-users')
  })

  it('counts working days on the calendar page (2026-02-13 + 1 = 2026-02-14)', async () => {
    await page.getByTestId('menu-calendar').click()
    await page.waitForURL(/\/calendar$/)
    await page.getByTestId('cal-years').getByText('2026', { exact: true }).waitFor()
    const from = page.getByTestId('cal-add').locator('input').first()
    await from.fill('2026-02-13')
    await from.press('Enter')
    const n = page.getByTestId('cal-add').locator('.el-input-number input')
    await n.fill('1')
    await n.press('Tab')
    await page.getByTestId('cal-add-submit').click()
    const result = page.getByTestId('cal-add-result')
    await result.waitFor()
    assert.match(await result.innerText(), /2026-02-13 起第 1 个工作日是 2026-02-14（星期六）/)
    await page.locator('canvas').first().waitFor() // the chart of the months

    const day = page.getByTestId('cal-check').locator('input').first()
    await day.fill('2026-02-14')
    await day.press('Enter')
    await page.getByTestId('cal-check-submit').click()
    await page.getByTestId('cal-check-result').getByText('2026-02-14（星期六）是工作日').waitFor()

    // a bad schedule file: the server's message names the line
    await page.getByTestId('cal-import-file').setInputFiles({
      name: '2027.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('year 2027\nfoo bar\n'),
    })
    await page.getByText('2027.txt').waitFor()
    await page.getByTestId('cal-import-submit').click()
    const err = page.getByTestId('cal-import-error')
    await err.waitFor()
    assert.match(await err.innerText(), /line 2: unknown keyword 'foo'/)
    await shot('07-calendar')
  })

  it('lists the unit creation in the audit trail, with its after state', async () => {
    await page.getByTestId('menu-audit').click()
    await page.waitForURL(/\/audit$/)
    const row = page.locator('.el-table__row', { hasText: '单位 #2' }).first()
    await row.waitFor()
    assert.match(await row.innerText(), /新建/)
    assert.match(await row.innerText(), /西宁市/)
    await row.locator('.el-table__expand-icon').click()
    const after = page.getByTestId('audit-after').first()
    await after.waitFor()
    assert.match(await after.innerText(), /"name": "西宁市"/)
    await shot('08-audit')
  })

  it('switches to English', async () => {
    await page.getByRole('radio', { name: 'English' }).click({ force: true })
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor()
    await page.getByTestId('menu-units').getByText('Units').waitFor()
    assert.equal(await page.locator('html').getAttribute('lang'), 'en')
    await shot('09-audit-en')
    await page.getByTestId('menu-home').click()
    await page.getByText('Shortcuts').waitFor()
    await shot('10-home-en')
  })

  it('logs out back to the login page with a note', async () => {
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL(/\/login\?reason=logout$/)
    await page.getByTestId('login-note').getByText('You have logged out.').waitFor()
    await shot('11-logged-out')
    // the session is gone on the server too
    const r = await page.evaluate(() => fetch('/api/v1/me').then((res) => res.status))
    assert.equal(r, 401)
  })

  it('logged no console errors', () => {
    assert.deepEqual(consoleErrors, [])
  })
})
