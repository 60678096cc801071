// Inspections, assessment inputs and the portal's newer pieces, through the
// screens: the office sets up an inspection group, records a visit with a
// finding that becomes a problem, links a leader (a second link for the
// same leader is refused), and the leader records a visit to a linked unit;
// the office enters an evaluation, a bonus (then revokes it) and a veto (a
// second veto is refused) and the ranking shows the veto; on a phone the
// public rates a service window and names the unit a complaint is about.
// Set up over the API like the other tests (a fresh database, not the demo).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ADMIN_PASSWORD, apiAs, dayCST, launchBrowser, screenshot, startServer, watchConsole } from './duban.mjs'

const T = 20000
const PASSWORD = 'Duban-e2e-2026'
const today = dayCST()
const year = today.slice(0, 4)

describe('inspections, assessment inputs, portal pieces', { timeout: 300000 }, () => {
  let server, browser, page, consoleErrors, admin
  const ids = {}
  const shot = (name, opts) => screenshot(page, name, opts)

  before(async () => {
    server = await startServer()
    admin = await apiAs(server.url, 'admin', ADMIN_PASSWORD)
    const me = await admin('GET', '/api/v1/me')
    ids.root = me.unit_id
    const city = await admin('POST', '/api/v1/units', { name: '兴城市', kind: 'city', parent_id: me.unit_id, code: '211481' })
    const a = await admin('POST', '/api/v1/units', { name: '城中区', kind: 'county', parent_id: city.id, code: '211481001' })
    const b = await admin('POST', '/api/v1/units', { name: '城东区', kind: 'county', parent_id: city.id, code: '211481002' })
    await admin('POST', '/api/v1/units', { name: '兴城市市场监督管理局', kind: 'department', parent_id: city.id, code: '211481SCJG' })
    Object.assign(ids, { city: city.id, a: a.id, b: b.id })
    const mk = (username, display_name, unit_id, roles) => admin('POST', '/api/v1/users', { username, password: PASSWORD, display_name, unit_id, roles })
    ids.office = (await mk('office1', '督查室 王敏', me.unit_id, ['office'])).id
    ids.inspector = (await mk('inspector1', '督导组 李军', me.unit_id, ['inspector'])).id
    ids.leader = (await mk('leader1', '副市长 赵刚', me.unit_id, ['leader'])).id
    const c = await admin('POST', '/api/v1/campaigns', {
      title: '兴城市“转作风、优环境”专项行动',
      doc_number: '兴政办发〔2026〕3号',
      unit_id: me.unit_id,
      starts_on: `${year}-01-01`,
      ends_on: `${year}-12-31`,
      phases: [{ name: '整改落实', starts_on: `${year}-01-01`, ends_on: `${year}-12-31` }],
      categories: [{ code: 'ZDMS', name: '重点民生', planned_tasks: 1 }],
      themes: ['慢作为', '不作为'],
    })
    ids.campaign = c.id
    await admin('POST', '/api/v1/service-windows', { code: 'XC-BDC-01', name: '不动产登记窗口', unit_id: a.id })
    browser = await launchBrowser()
    page = browser.context.pages()[0] || (await browser.context.newPage())
    page.setDefaultTimeout(T)
    consoleErrors = watchConsole(page, [
      [401, /\/api\/v1\/(me|session)$/],
      [409, /\/api\/v1\/leader-links$/], // the second link, on purpose
      [409, /\/vetoes$/], // the second veto, on purpose
      [422, /\/api\/v1\/public\/ratings$/], // an unknown window, on purpose
      [429, /\/api\/v1\/public\/ratings$/], // too many, on purpose
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

  async function login(username) {
    await page.goto(server.url + '/login')
    await page.getByTestId('login-username').fill(username)
    await page.getByTestId('login-password').fill(PASSWORD)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('home-greeting').waitFor()
  }
  async function logout() {
    await page.getByRole('button', { name: '退出登录' }).click()
    await page.waitForURL(/\/login\?reason=logout$/)
  }
  const option = (name) => page.getByRole('option', { name, exact: true }).last()
  async function pickTreeUnits(select, names) {
    await select.click()
    for (const name of names) await page.locator('.el-tree-node__content:visible').filter({ hasText: new RegExp(`^${name}$`) }).last().click()
    await page.keyboard.press('Escape')
  }
  // a person by account number (the office cannot list accounts)
  async function typePerson(select, id) {
    await select.click()
    await select.locator('input').fill(String(id))
    // offered as "用户 #id", or by name when the page knows the person
    await page.locator('.el-select-dropdown:visible li[role=option]').first().click()
  }

  it('the office sets up an inspection group', async () => {
    await login('office1')
    await page.getByTestId('menu-inspections').click()
    await page.waitForURL(/\/inspections/)
    await page.getByRole('heading', { name: '督查督导', level: 1 }).waitFor()
    await page.getByText('该行动还没有成立督查组。').waitFor()
    await page.getByTestId('group-create').click()
    const dlg = page.getByRole('dialog', { name: '成立督查组' })
    await dlg.waitFor()
    // nothing filled: the fields say what is missing
    await dlg.getByTestId('group-form-submit').click()
    await dlg.getByText('请填写督查组名称').waitFor()
    await dlg.getByText('请选择或输入组长').waitFor()
    await dlg.getByTestId('group-form-name').fill('第一督查组')
    await typePerson(dlg.getByTestId('group-form-leader'), ids.inspector)
    // the office's own account is on the list: a member
    await dlg.getByTestId('group-form-members').click()
    await page.getByRole('option', { name: /^督查室 王敏/ }).last().click()
    await page.keyboard.press('Escape')
    await pickTreeUnits(dlg.getByTestId('group-form-units'), ['城中区', '城东区'])
    await shot('50-inspection-group-dialog', { full: false })
    await dlg.getByTestId('group-form-submit').click()
    await dlg.waitFor({ state: 'hidden' })
    const row = page.getByTestId('group-table').locator('.el-table__row', { hasText: '第一督查组' })
    await row.waitFor()
    const text = await row.innerText()
    assert.match(text, /督导组 李军/) // the leader, named by the server
    assert.match(text, /督查室 王敏/)
    assert.match(text, /城中区、城东区/)
    assert.match(text, /本人参加/)
  })

  it('records a visit with a finding that becomes a problem', async () => {
    const visits = page.getByTestId('visits-group')
    await visits.getByText('还没有走访记录。').waitFor()
    await visits.getByTestId('visit-create').click()
    const dlg = page.getByRole('dialog', { name: '记录走访' })
    await dlg.waitFor()
    await dlg.getByText('暗访', { exact: true }).click()
    await dlg.getByTestId('visit-form-units').click()
    await option('城中区').click()
    await page.keyboard.press('Escape')
    await dlg.getByTestId('visit-form-place').fill('城中区政务服务中心')
    await dlg.getByTestId('visit-form-notes').fill('午间窗口无人值守，群众排队等候。')
    await dlg.getByTestId('finding-add').click()
    await dlg.getByLabel('问题 1 的描述').fill('午间不动产登记窗口无人值守')
    await dlg.getByLabel('问题 1 的整改要求').fill('落实午间不间断服务')
    await dlg.getByLabel('问题 1 的责任人').fill('张伟')
    await shot('51-visit-dialog', { full: false })
    await dlg.getByTestId('visit-form-submit').click()
    await dlg.waitFor({ state: 'hidden' })
    // the visit opens with its finding
    const detail = page.getByRole('dialog', { name: '走访情况' })
    await detail.waitFor()
    await detail.getByText('发现的问题（1）').waitFor()
    const link = detail.getByTestId('finding-table').getByRole('link', { name: '午间不动产登记窗口无人值守' })
    await link.waitFor()
    await shot('52-visit-detail', { full: false })
    await detail.getByRole('button', { name: '关闭', exact: true }).click()
    await detail.waitFor({ state: 'hidden' })
    const row = visits.getByTestId('visit-table').locator('.el-table__row').first()
    assert.match(await row.innerText(), new RegExp(`${today}[\\s\\S]*暗访[\\s\\S]*城中区`))
    await shot('53-inspections')
    // the finding is on the problem list, found by inspection
    await row.click()
    await detail.waitFor()
    await detail.getByTestId('finding-table').getByRole('link', { name: '午间不动产登记窗口无人值守' }).click()
    await page.waitForURL(/\/problems\/\d+$/)
    await page.getByText('组织查').first().waitFor()
    await page.getByText('午间不动产登记窗口无人值守').first().waitFor()
    await page.getByTestId('menu-problems').click()
    const prow = page.getByTestId('problem-table').locator('.el-table__row', { hasText: '午间不动产登记窗口无人值守' })
    await prow.waitFor()
    assert.match(await prow.innerText(), /组织查/)
    assert.match(await prow.innerText(), /城中区/)
  })

  it('links a leader to two units; a second link for them is refused', async () => {
    await page.getByTestId('menu-inspections').click()
    await page.getByRole('tab', { name: '联点领导' }).click()
    await page.getByText('该行动还没有联点安排。').waitFor()
    for (const attempt of [1, 2]) {
      await page.getByTestId('link-create').click()
      const dlg = page.getByRole('dialog', { name: '安排联点' })
      await dlg.waitFor()
      await typePerson(dlg.getByTestId('link-form-leader'), ids.leader)
      await pickTreeUnits(dlg.getByTestId('link-form-units'), attempt === 1 ? ['城中区', '城东区'] : ['城中区'])
      await dlg.getByTestId('link-form-submit').click()
      if (attempt === 1) {
        await dlg.waitFor({ state: 'hidden' })
        const row = page.getByTestId('link-table').locator('.el-table__row', { hasText: '副市长 赵刚' })
        await row.waitFor()
        assert.match(await row.innerText(), /城中区、城东区/)
      } else {
        await dlg.getByTestId('link-error').getByText('这位领导在本行动中已有联点安排').waitFor()
        await shot('54-link-duplicate', { full: false })
        await dlg.getByRole('button', { name: '取消' }).click()
        await dlg.waitFor({ state: 'hidden' })
      }
    }
    assert.equal(await page.getByTestId('link-table').locator('.el-table__row').count(), 1)
    await logout()
  })

  it('the linked leader sees their links and records a visit', async () => {
    await login('leader1')
    await page.getByTestId('menu-inspections').click()
    await page.getByRole('tab', { name: '联点领导' }).click()
    await page.getByTestId('my-links').getByText('兴城市“转作风、优环境”专项行动').waitFor()
    const visits = page.getByTestId('visits-link')
    await visits.getByText('还没有走访记录。').waitFor()
    await visits.getByTestId('visit-create').click()
    const dlg = page.getByRole('dialog', { name: '记录走访' })
    await dlg.waitFor()
    await dlg.getByTestId('visit-form-units').click()
    await option('城东区').click()
    await page.keyboard.press('Escape')
    await dlg.getByTestId('visit-form-place').fill('城东区企业服务中心')
    await dlg.getByTestId('visit-form-submit').click()
    await dlg.waitFor({ state: 'hidden' })
    await page.getByRole('dialog', { name: '走访情况' }).getByText('这次走访没有记录问题。').waitFor()
    await page.keyboard.press('Escape')
    const row = visits.getByTestId('visit-table').locator('.el-table__row').first()
    await row.waitFor()
    assert.match(await row.innerText(), /明查[\s\S]*城东区[\s\S]*城东区企业服务中心/)
    await shot('55-leader-links')
    await logout()
  })

  it('the office enters an evaluation, a bonus and a veto, and sees them', async () => {
    await login('office1')
    await page.goto(`${server.url}/assessment?campaign=${ids.campaign}`)
    const inputs = page.getByTestId('assess-inputs')
    await inputs.getByText('该期间没有评议结果。').waitFor()

    // 评议
    await inputs.getByTestId('assess-add-evaluations').click()
    let dlg = page.getByRole('dialog', { name: '录入评议结果' })
    await dlg.waitFor()
    await pickTreeUnits(dlg.getByTestId('assess-form-unit'), ['城中区'])
    const score = dlg.getByTestId('assess-form-score').locator('input')
    await score.fill('88.5')
    await score.press('Tab')
    await dlg.getByTestId('assess-form-respondents').locator('input').fill('320')
    await dlg.getByTestId('assess-form-method').fill('问卷调查')
    await shot('80-evaluation-dialog', { full: false })
    await dlg.getByTestId('assess-form-submit').click()
    await dlg.waitFor({ state: 'hidden' })
    const ev = inputs.getByTestId('assess-evaluations').locator('.el-table__row', { hasText: '城中区' })
    await ev.waitFor()
    assert.match(await ev.innerText(), /88\.5[\s\S]*320[\s\S]*问卷调查/)

    // 加分, then revoked with a reason
    await inputs.getByRole('tab', { name: /加分扣分/ }).click()
    await inputs.getByTestId('assess-add-adjustments').click()
    dlg = page.getByRole('dialog', { name: '加分或扣分' })
    await dlg.waitFor()
    await pickTreeUnits(dlg.getByTestId('assess-form-unit'), ['城中区'])
    const points = dlg.getByTestId('assess-form-points').locator('input')
    await points.fill('2')
    await points.press('Tab')
    await dlg.getByTestId('assess-form-reason').fill('受到省政府通报表扬')
    await dlg.getByTestId('assess-form-submit').click()
    await dlg.waitFor({ state: 'hidden' })
    const adj = inputs.getByTestId('assess-adjustments').locator('.el-table__row', { hasText: '受到省政府通报表扬' })
    await adj.waitFor()
    assert.match(await adj.innerText(), /加分[\s\S]*\+2[\s\S]*有效/)
    await adj.getByRole('button', { name: '撤销' }).click()
    dlg = page.getByRole('dialog', { name: '撤销加分或扣分' })
    await dlg.getByTestId('assess-revoke-reason').fill('表扬文件发文单位有误')
    await dlg.getByTestId('assess-revoke-submit').click()
    await dlg.waitFor({ state: 'hidden' })
    await adj.getByText('已撤销').waitFor()
    assert.match(await adj.innerText(), /表扬文件发文单位有误/)

    // 一票否决; a second one for the same unit and period is refused
    await inputs.getByRole('tab', { name: /一票否决/ }).click()
    for (const attempt of [1, 2]) {
      await inputs.getByTestId('assess-add-vetoes').click()
      dlg = page.getByRole('dialog', { name: '一票否决' })
      await dlg.waitFor()
      await pickTreeUnits(dlg.getByTestId('assess-form-unit'), ['城东区'])
      await dlg.getByTestId('assess-form-reason').fill('虚报瞒报整改进度')
      await dlg.getByTestId('assess-form-submit').click()
      if (attempt === 1) await dlg.waitFor({ state: 'hidden' })
      else {
        await dlg.getByTestId('assess-form-error').getByText('该单位在这一期间已被一票否决').waitFor()
        await shot('81-veto-refused', { full: false })
        await dlg.getByRole('button', { name: '取消' }).click()
        await dlg.waitFor({ state: 'hidden' })
      }
    }
    const veto = inputs.getByTestId('assess-vetoes').locator('.el-table__row', { hasText: '虚报瞒报整改进度' })
    await veto.waitFor()
    assert.equal(await inputs.getByTestId('assess-vetoes').locator('.el-table__row').count(), 1)
    assert.match(await veto.innerText(), /城东区/)

    // the ranking (computed live) puts the vetoed unit last
    const rows = page.getByTestId('ranking-table').locator('.el-table__body-wrapper .el-table__row')
    await page.getByTestId('ranking-table').locator('.el-table__row', { hasText: '城东区' }).getByText('一票否决').waitFor()
    assert.match(await rows.last().innerText(), /城东区/)
    await shot('82-assessment-inputs')
    await logout()
  })

  describe('on a phone', () => {
    let phone, phoneErrors
    const fits = async () => {
      const w = await phone.evaluate(() => document.documentElement.scrollWidth)
      assert.ok(w <= 390, `the page is ${w}px wide on a 390px screen`)
    }
    before(async () => {
      phone = await browser.context.newPage()
      await phone.setViewportSize({ width: 390, height: 844 })
      phone.setDefaultTimeout(T)
      phoneErrors = watchConsole(phone, [[422, /\/api\/v1\/public\/ratings$/]])
    })

    it('the public rates a service window from its QR code', async () => {
      await phone.goto(server.url + '/public')
      await phone.getByTestId('pub-go-rate').waitFor()
      await phone.goto(server.url + '/public/rate?window=XC-BDC-01')
      await phone.getByRole('heading', { name: '窗口服务评价' }).waitFor()
      await phone.getByTestId('rate-window').getByText('XC-BDC-01').waitFor()
      assert.equal(await phone.getByTestId('rate-submit').isDisabled(), true)
      const star = phone.locator('label.star').nth(3)
      const box = await star.boundingBox()
      assert.ok(box.width >= 44 && box.height >= 44, `a star is ${box.width}×${box.height}`)
      await star.click()
      await phone.getByText('满意', { exact: true }).waitFor()
      await phone.getByTestId('rate-comment').fill('办理很快，工作人员很耐心')
      await fits()
      await screenshot(phone, '70-public-rate')
      await phone.getByTestId('rate-submit').click()
      await phone.getByTestId('rate-done').getByText('感谢您的评价').waitFor()
      assert.match(await phone.getByTestId('rate-given').innerText(), /★★★★☆\s*满意/)
      await screenshot(phone, '71-public-rated')
      const w = await admin('GET', '/api/v1/service-windows')
      const win = w.items.find((x) => x.code === 'XC-BDC-01')
      assert.equal(win.ratings, 1)
      assert.equal(win.good, 1)
    })

    it('says so when the window code is unknown', async () => {
      await phone.goto(server.url + '/public/rate?window=NO-SUCH')
      await phone.locator('label.star').nth(4).click()
      await phone.getByTestId('rate-submit').click()
      await phone.getByTestId('rate-error').getByText('没有找到这个窗口编号').waitFor()
      const code = phone.getByTestId('rate-code')
      await code.waitFor() // editable now
      await code.fill('XC-BDC-01')
      await phone.getByTestId('rate-submit').click()
      await phone.getByTestId('rate-done').waitFor()
      await fits()
    })

    it('the public picks the unit a complaint is about', async () => {
      await phone.goto(server.url + '/public/file')
      await phone.getByRole('radio', { name: /^作风问题/ }).check()
      const search = phone.getByTestId('pub-unit-search')
      await search.fill('市场监督')
      const list = phone.getByTestId('pub-unit-list')
      await list.getByText('兴城市市场监督管理局').click()
      const picked = phone.getByTestId('pub-unit-picked')
      await picked.getByText('兴城市市场监督管理局').waitFor()
      await picked.getByText('兴城市', { exact: true }).waitFor() // where it sits
      await phone.getByTestId('pub-content').fill('市场监管局办理食品经营许可证要求重复提交材料。')
      await fits()
      await screenshot(phone, '72-public-file-unit')
      // the search, as a phone shows it
      await picked.getByTestId('pub-unit-change').click()
      await search.fill('城')
      await list.getByText('城中区').waitFor()
      await fits()
      await screenshot(phone, '73-public-unit-search')
      await list.getByText('兴城市市场监督管理局').click()
      await phone.getByTestId('pub-submit').click()
      await phone.getByTestId('pub-done').waitFor()
      const code = (await phone.getByTestId('pub-code').innerText()).trim()
      const list2 = await admin('GET', '/api/v1/complaints')
      const c = list2.items.find((x) => x.tracking_code === code)
      const units = (await admin('GET', '/api/v1/units?per_page=100')).items
      assert.equal(c.owner_unit_id, units.find((u) => u.name === '兴城市市场监督管理局').id)
    })

    it('logged no console errors on the phone', () => {
      assert.deepEqual(phoneErrors, [])
    })
  })

  it('answers 429 with the wait when ratings come too fast', async () => {
    const tight = await startServer(['--public-rate', '1'])
    try {
      const p = await browser.context.newPage()
      const errors = watchConsole(p, [
        [422, /\/api\/v1\/public\/ratings$/],
        [429, /\/api\/v1\/public\/ratings$/],
      ])
      await p.setViewportSize({ width: 390, height: 844 })
      p.setDefaultTimeout(T)
      // the limiter counts per calendar minute: both requests in one
      const left = 60 - (Date.now() / 1000) % 60
      if (left < 10) await p.waitForTimeout(left * 1000 + 200)
      await p.goto(tight.url + '/public/rate?window=NONE-1')
      await p.locator('label.star').nth(2).click()
      await p.getByTestId('rate-submit').click() // the minute's one request
      await p.getByTestId('rate-error').getByText('没有找到这个窗口编号').waitFor()
      await p.getByTestId('rate-submit').click()
      await p.getByTestId('rate-error').getByText(/提交太频繁，请 \d+ 秒后再试/).waitFor()
      await screenshot(p, '74-public-rate-429')
      await p.close()
      assert.deepEqual(errors, [])
    } finally {
      const { code } = await tight.stop()
      tight.cleanup()
      assert.equal(code, 0)
    }
  })

  it('logged no console errors', () => {
    assert.deepEqual(consoleErrors, [])
  })
})
