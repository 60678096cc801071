// A campaign's month, end to end through the screens: the office issues a
// campaign and a task with an indicator and a milestone, the dashboard
// shows it red; a liaison reports the month, completes the milestone and
// rectifies a problem with evidence; the office accepts the report and
// closes the problem, and the dashboard's counts change.  In Debian's
// Chromium against the real binary; screenshots in test-artifacts/web/.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ADMIN_PASSWORD, apiAs, dayCST, fillDate, launchBrowser, screenshot, startServer, watchConsole } from './duban.mjs'

const T = 20000 // ms for one thing to appear (the sanitizer build is slow)
const PASSWORD = 'Duban-e2e-2026'

// dates around today, inside today's year (the calendar ships one year)
const today = dayCST()
const yearEnd = `${today.slice(0, 4)}-12-31`
const start = dayCST(-40)
const end = dayCST(30) < yearEnd ? dayCST(30) : yearEnd > dayCST(3) ? yearEnd : dayCST(30)
const yesterday = dayCST(-1)

describe('a campaign month', { timeout: 240000 }, () => {
  let server, browser, page, consoleErrors, admin
  const ids = {}

  const shot = (name, opts) => screenshot(page, name, opts)

  before(async () => {
    server = await startServer()
    // the unit tree and the accounts: set up over the API
    admin = await apiAs(server.url, 'admin', ADMIN_PASSWORD)
    const me = await admin('GET', '/api/v1/me')
    const county = await admin('POST', '/api/v1/units', { name: '城中区', kind: 'county', parent_id: me.unit_id, code: '630102' })
    const town = await admin('POST', '/api/v1/units', { name: '人民街道', kind: 'township', parent_id: county.id, code: '630102001' })
    await admin('POST', '/api/v1/units', { name: '城东区', kind: 'county', parent_id: me.unit_id, code: '630103' })
    ids.root = me.unit_id
    ids.county = county.id
    ids.town = town.id
    await admin('POST', '/api/v1/users', { username: 'office1', password: PASSWORD, display_name: '督查室 王敏', unit_id: me.unit_id, roles: ['office'] })
    await admin('POST', '/api/v1/users', { username: 'liaison1', password: PASSWORD, display_name: '城中区联络员 刘洋', unit_id: county.id, roles: ['liaison'] })
    browser = await launchBrowser()
    page = browser.context.pages()[0] || (await browser.context.newPage())
    page.setDefaultTimeout(T)
    consoleErrors = watchConsole(page, [
      [401, /\/api\/v1\/(me|session)$/],
      [422, /\/problems\/import\?/], // the wrong file, on purpose
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
  async function pickUnit(select, name) {
    await select.click()
    await page.locator('.el-tree-node__content:visible').filter({ hasText: new RegExp(`^${name}$`) }).last().click()
  }

  it('the office issues a campaign with a phase, a category and a theme', async () => {
    await login('office1')
    await page.getByTestId('menu-campaigns').click()
    await page.waitForURL(/\/campaigns$/)
    await page.getByText('还没有部署任何行动。').waitFor()
    await page.getByTestId('campaign-create').click()
    const dlg = page.getByRole('dialog', { name: '部署行动' })
    await dlg.waitFor()
    await dlg.getByTestId('campaign-form-title').fill('城中区“转作风、优环境”专项行动')
    await dlg.getByTestId('campaign-form-doc').fill('城政办发〔2026〕8号')
    await fillDate(dlg, '开始日期', start)
    await fillDate(dlg, '结束日期', end)
    await dlg.getByLabel('阶段名称，如：全面自查自纠 1').fill('整改落实')
    await fillDate(dlg, '开始日期 1', start)
    await fillDate(dlg, '结束日期 1', end)
    await dlg.getByLabel('类别代码 1').fill('ZDXM')
    await dlg.getByLabel('类别名称 1').fill('重大项目')
    await dlg.getByTestId('campaign-form-themes').click()
    await option('慢作为').click()
    await page.keyboard.press('Escape')
    await shot('20-campaign-dialog', { full: false })
    await dlg.getByTestId('campaign-form-submit').click()
    await page.waitForURL(/\/campaigns\/\d+$/)
    ids.campaign = Number(page.url().match(/campaigns\/(\d+)/)[1])
    await page.getByTestId('campaign-title').getByText('城中区“转作风、优环境”专项行动').waitFor()
    await page.getByText('慢作为').first().waitFor()
    await shot('21-campaign')
  })

  it('breaks it into a task with an indicator and a milestone, red at once', async () => {
    await page.getByRole('tab', { name: '任务分解' }).click()
    await page.getByText('该行动还没有分解任务。').waitFor()
    await page.getByTestId('task-create').click()
    const dlg = page.getByRole('dialog', { name: '分解任务' })
    await dlg.waitFor()
    await dlg.getByTestId('task-form-title').fill('签约项目不低于300个')
    await pickUnit(dlg.getByTestId('task-form-lead'), '城中区')
    await dlg.getByTestId('task-form-leader').fill('李强')
    await fillDate(dlg, '开始日期', start)
    await fillDate(dlg, '完成时限', end)
    await dlg.getByTestId('indicator-add').click()
    await dlg.getByLabel('指标名称 1').fill('签约项目')
    await dlg.getByLabel('目标值 1').fill('300')
    await dlg.getByLabel('计量单位 1').fill('个')
    await dlg.getByTestId('milestone-add').click()
    await dlg.getByLabel('节点名称 1').fill('前期手续办结')
    await fillDate(dlg, '节点时限 1', yesterday)
    await shot('22-task-dialog', { full: false })
    await dlg.getByTestId('task-form-submit').click()
    await dlg.waitFor({ state: 'hidden' })
    const row = page.getByTestId('task-table').locator('.el-table__row', { hasText: '签约项目不低于300个' })
    await row.waitFor()
    assert.match(await row.innerText(), /城中区/)
    assert.match(await row.innerText(), /红灯/) // the milestone was due yesterday
    await shot('23-campaign-tasks')
  })

  it('records a problem of the county on the problems page', async () => {
    await page.getByTestId('menu-problems').click()
    await page.waitForURL(/\/problems/)
    await page.getByText('该行动还没有登记问题。').waitFor()
    await page.getByTestId('problem-create').click()
    const dlg = page.getByRole('dialog', { name: '登记问题' })
    await dlg.waitFor()
    await pickUnit(dlg.getByTestId('problem-form-unit'), '城中区')
    await dlg.getByTestId('problem-form-description').fill('项目审批环节多，企业反映办事慢')
    await dlg.getByTestId('problem-form-measures').fill('压缩审批时限至10个工作日')
    await dlg.getByTestId('problem-form-responsible').fill('刘洋')
    await fillDate(dlg, '整改时限', end)
    await dlg.getByTestId('problem-form-submit').click()
    await page.waitForURL(/\/problems\/\d+$/)
    ids.problem = Number(page.url().match(/problems\/(\d+)/)[1])
    await page.getByTestId('problem-status').getByText('待整改').waitFor()
  })

  let before_
  it('shows the task red and the problem open on the dashboard', async () => {
    await page.getByTestId('menu-dashboard').click()
    await page.waitForURL(/\/dashboard/)
    await page.getByTestId('kpi-tasks').getByText('1', { exact: true }).waitFor()
    await page.getByTestId('red-tasks').getByText('签约项目不低于300个').waitFor()
    await page.getByTestId('gantt').locator('canvas').waitFor()
    before_ = {
      red: await page.getByTestId('kpi-red').innerText(),
      problems: await page.getByTestId('kpi-problems').innerText(),
      countyRed: await page.getByTestId(`heat-${ids.county}-red`).innerText(),
    }
    assert.deepEqual(before_, { red: '1', problems: '1', countyRed: '1' })
    await page.getByTestId('ledger-bars').getByText('0/1').waitFor()
    await page.getByTestId('rollup-period').waitFor()
    await shot('24-dashboard-before')
    await logout()
  })

  it('the liaison sees the month\'s work and submits the monthly report', async () => {
    await login('liaison1')
    await page.getByTestId('menu-my').click()
    await page.waitForURL(/\/my$/)
    const todo = page.getByTestId('my-todo')
    await todo.getByText('完成节点：前期手续办结').waitFor()
    await todo.getByText('问题待整改').waitFor()
    await shot('25-my-month')
    await page.getByTestId('my-tasks').getByRole('link', { name: '签约项目不低于300个' }).click()
    await page.waitForURL(/\/tasks\/\d+/)
    ids.task = Number(page.url().match(/tasks\/(\d+)/)[1])
    await page.getByTestId('report-open').click()
    const form = page.getByTestId('report-form')
    await form.waitFor()
    await form.getByTestId('report-summary').fill('本月新签约项目42个，累计签约120个；重点项目前期手续正在办理。')
    await form.locator('[data-testid^="report-ind-"] input, input[data-testid^="report-ind-"]').first().fill('120')
    await form.getByTestId('report-blockers').fill('个别项目用地指标尚未落实')
    await form.getByTestId('report-next').fill('协调自然资源部门落实用地指标')
    await form.getByTestId('report-files').setInputFiles({ name: '签约项目清单.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') })
    await form.getByText('签约项目清单.pdf').waitFor()
    await shot('26-report-form')
    await form.getByTestId('report-submit').click()
    await form.waitFor({ state: 'hidden' })
    const list = page.getByTestId('report-list')
    await list.getByText('本月新签约项目42个').waitFor()
    assert.match(await list.innerText(), /待审核/)
    // the evidence is named in the report and opens from it
    const link = list.getByRole('link', { name: '签约项目清单.pdf' })
    assert.match(await link.getAttribute('href'), /^\/api\/v1\/attachments\/\d+$/)
    await page.getByTestId('indicator-table').getByText('120 个').waitFor()
  })

  it('the liaison completes the milestone with evidence, and the task turns green', async () => {
    const ms = page.getByTestId('milestone-table')
    await ms.getByRole('button', { name: '完成节点' }).click()
    const dlg = page.getByRole('dialog', { name: '完成节点' })
    await dlg.getByTestId('ms-evidence').fill('前期手续办结清单（城发改〔2026〕12号）')
    await dlg.getByTestId('ms-submit').click()
    await dlg.waitFor({ state: 'hidden' })
    await ms.getByText('延期完成').waitFor() // due yesterday, done today
    await page.getByTestId('task-light').getByText('绿灯').waitFor()
    await shot('27-task')
  })

  it('the liaison rectifies the problem with evidence; only the office may close it', async () => {
    await page.goto(`${server.url}/problems/${ids.problem}`)
    await page.getByTestId('move-rectifying').click()
    let dlg = page.getByRole('dialog', { name: '开始整改' })
    await dlg.getByTestId('move-note').fill('已制定整改方案，明确时间表')
    await dlg.getByTestId('move-submit').click()
    await dlg.waitFor({ state: 'hidden' })
    await page.getByTestId('problem-status').getByText('整改中').waitFor()
    await page.getByTestId('move-rectified').click()
    dlg = page.getByRole('dialog', { name: '提交整改结果' })
    await dlg.waitFor()
    // evidence is required: the button waits for it
    assert.equal(await dlg.getByTestId('move-submit').isDisabled(), true)
    await dlg.getByTestId('move-evidence').fill('审批时限已由20个工作日压缩至10个工作日，见城政办〔2026〕15号')
    await dlg.getByTestId('move-files').setInputFiles({
      name: '整改前后对比.png',
      mimeType: 'image/png',
      buffer: Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
        'base64',
      ),
    })
    await dlg.getByText('整改前后对比.png').waitFor()
    await shot('28-problem-move', { full: false })
    await dlg.getByTestId('move-submit').click()
    await dlg.waitFor({ state: 'hidden' })
    await page.getByTestId('problem-status').getByText('已整改待销号').waitFor()
    await page.getByText('等待协调办公室审核销号').waitFor()
    assert.equal(await page.getByTestId('move-closed').count(), 0)
    const hist = page.getByTestId('problem-history')
    await hist.getByText('整改前后对比.png').waitFor()
    await logout()
  })

  it('the office accepts the report and closes the problem', async () => {
    await login('office1')
    await page.goto(`${server.url}/tasks/${ids.task}`)
    const list = page.getByTestId('report-list')
    await list.getByRole('button', { name: '审核通过' }).click()
    const dlg = page.getByRole('dialog', { name: '审核通过' })
    await dlg.getByTestId('review-comment').fill('进展属实，继续推进')
    await dlg.getByTestId('review-submit').click()
    await dlg.waitFor({ state: 'hidden' })
    await list.getByText('已审核').waitFor()

    await page.goto(`${server.url}/problems/${ids.problem}`)
    await page.getByTestId('move-closed').click()
    const close = page.getByRole('dialog', { name: '审核销号' })
    await close.getByTestId('move-note').fill('经核实整改到位，予以销号')
    await close.getByTestId('move-submit').click()
    await close.waitFor({ state: 'hidden' })
    await page.getByTestId('problem-status').getByText('已销号').waitFor()
    await page.getByTestId('move-reopened').waitFor() // the office may reopen it
    await shot('29-problem-closed')
  })

  it('shows the counts changed on the dashboard: nothing red, the county cleared to zero', async () => {
    await page.getByTestId('menu-dashboard').click()
    await page.getByTestId('kpi-tasks').getByText('1', { exact: true }).waitFor()
    await page.getByTestId('kpi-red').getByText('0', { exact: true }).waitFor()
    await page.getByTestId('kpi-green').getByText('1', { exact: true }).waitFor()
    await page.getByText('没有亮红灯的任务。').waitFor()
    await page.getByTestId(`heat-${ids.county}-green`).getByText('1').waitFor()
    assert.equal(await page.getByTestId(`heat-${ids.county}-red`).innerText(), '0')
    await page.getByTestId('ledger-bars').getByText('1/1').waitFor()
    await page.getByTestId('ledger-bars').getByTestId('cleared-badge').getByText('见底清零').waitFor()
    await page.getByTestId('gantt').locator('canvas').waitFor()
    await shot('30-dashboard-after')
  })

  it('looks at another day with as_of: a week ago nothing was overdue yet', async () => {
    await fillDate(page, '查看日期', dayCST(-7))
    await page.getByText(`正在按 ${dayCST(-7)} 查看`).waitFor()
    await page.waitForURL(/as_of=/)
  })

  it('shows the ledger with its export buttons', async () => {
    await page.getByTestId('menu-ledger').click()
    await page.waitForURL(/\/ledger/)
    const table = page.getByTestId('ledger-table')
    await table.getByText('城中区').waitFor()
    await table.getByTestId('ledger-cleared').waitFor()
    await page.getByTestId('ledger-trend').locator('canvas').waitFor() // the months, from …/ledger/trend
    assert.match(await page.getByTestId('export-xlsx').getAttribute('href'), new RegExp(`/api/v1/campaigns/${ids.campaign}/ledger\\.xlsx`))
    // the export is a download of the workbook
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()])
    assert.match(download.suggestedFilename(), /\.xlsx$/)
    await shot('31-ledger')
  })

  it('shows the assessment ranking and its explanation', async () => {
    await page.getByTestId('menu-assessment').click()
    await page.waitForURL(/\/assessment/)
    const table = page.getByTestId('ranking-table')
    await table.getByText('城中区').first().waitFor()
    await table.locator('.el-table__expand-icon').first().click()
    await page.getByText('任务进度').first().waitFor()
    await shot('32-assessment')
  })

  it('drafts a bulletin, previews it as laid out and offers the .docx', async () => {
    await page.getByTestId('bulletin-create').click()
    const dlg = page.getByRole('dialog', { name: '起草通报' })
    await dlg.getByTestId('bulletin-form-doc').fill('城督办通〔2026〕1号')
    await dlg.getByTestId('bulletin-form-submit').click()
    const pv = page.getByRole('dialog', { name: '城督办通〔2026〕1号' })
    await pv.waitFor()
    await page.frameLocator('iframe.pv-frame').getByText('城督办通〔2026〕1号').first().waitFor()
    assert.match(await pv.getByTestId('bulletin-docx').getAttribute('href'), /\/api\/v1\/bulletins\/\d+\.docx$/)
    await shot('33-bulletin-preview', { full: false })
    await pv.getByRole('button', { name: '关闭' }).last().click()
    await page.getByTestId('bulletin-table').getByText('城督办通〔2026〕1号').waitFor()
  })

  it('imports a problem list from CSV, naming the wrong rows first', async () => {
    await page.getByTestId('menu-problems').click()
    await page.getByTestId('problem-table').waitFor()
    await page.getByTestId('problem-import').click()
    const dlg = page.getByRole('dialog', { name: '导入清单' })
    const csv = (rows) => Buffer.from(['单位,问题来源,问题描述,整改措施,责任人,整改时限', ...rows].join('\r\n'), 'utf8')
    await dlg.getByTestId('import-file').setInputFiles({
      name: '问题清单.csv',
      mimeType: 'text/csv',
      buffer: csv([`城中区,群众提,窗口午间停办,午间轮岗,刘洋,${end}`, `不存在的区,自己找,会议过多,精简会议,张三,${end}`]),
    })
    await dlg.getByTestId('import-submit').click()
    await dlg.getByTestId('import-error').getByText('整批未导入').waitFor()
    const bad = dlg.locator('.el-table__row')
    await bad.first().waitFor()
    assert.match(await bad.first().innerText(), /^3\s+单位\s+.*不存在的区/) // the spreadsheet's row 3, column 单位
    await screenshot(page, '34-import-errors', { full: false })
    await dlg.getByTestId('import-file').setInputFiles({
      name: '问题清单.csv',
      mimeType: 'text/csv',
      buffer: csv([`城中区,群众提,窗口午间停办,午间轮岗,刘洋,${end}`, `人民街道,上级点,会议过多,精简会议,张三,5个工作日`]),
    })
    await dlg.getByTestId('import-submit').click()
    await dlg.getByTestId('import-result').getByText('已导入 2 个问题').waitFor()
    await dlg.getByRole('button', { name: '关闭' }).last().click()
    await page.getByTestId('problem-table').getByText('窗口午间停办').waitFor()
    await page.getByTestId('problem-table').getByText('会议过多').waitFor()
  })

  it('logged no console errors', () => {
    assert.deepEqual(consoleErrors, [])
  })
})
