// Importing a task breakdown (任务分解表) on the campaign page: the office
// downloads the template, uploads a CSV with a wrong row and sees the row
// and column named with nothing imported, then uploads the corrected file
// and sees the tasks, a sub-task under its parent, in the task tree.  In
// Debian's Chromium against the real binary; screenshots in
// test-artifacts/web/.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { ADMIN_PASSWORD, apiAs, dayCST, launchBrowser, screenshot, startServer, watchConsole } from './duban.mjs'

const T = 20000 // ms for one thing to appear (the sanitizer build is slow)
const PASSWORD = 'Duban-e2e-2026'
const year = dayCST().slice(0, 4)

const HEADER = '序号,上级序号,任务名称,任务类别,牵头单位,配合单位,责任领导,完成时限,指标名称,目标值,计量单位,节点名称,节点时限'
const csv = (rows) => Buffer.from([HEADER, ...rows].join('\r\n') + '\r\n', 'utf8')

describe('importing tasks from Excel', { timeout: 180000 }, () => {
  let server, browser, page, consoleErrors, campaign

  before(async () => {
    server = await startServer()
    const admin = await apiAs(server.url, 'admin', ADMIN_PASSWORD)
    const me = await admin('GET', '/api/v1/me')
    await admin('POST', '/api/v1/units', { name: '城中区', kind: 'county', parent_id: me.unit_id, code: '630102' })
    await admin('POST', '/api/v1/units', { name: '城东区', kind: 'county', parent_id: me.unit_id, code: '630103' })
    await admin('POST', '/api/v1/users', { username: 'office1', password: PASSWORD, display_name: '督查室 王敏', unit_id: me.unit_id, roles: ['office'] })
    const office = await apiAs(server.url, 'office1', PASSWORD)
    campaign = await office('POST', '/api/v1/campaigns', {
      title: '“转作风、优环境”专项行动',
      doc_number: '城政办发〔2026〕8号',
      unit_id: me.unit_id,
      starts_on: `${year}-01-01`,
      ends_on: `${year}-12-31`,
      phases: [{ name: '整改落实', starts_on: `${year}-01-01`, ends_on: `${year}-12-31` }],
      categories: [
        { code: 'ZDXM', name: '重大项目', planned_tasks: 2 },
        { code: 'ZDMS', name: '重点民生', planned_tasks: 1 },
      ],
      themes: ['慢作为'],
    })
    browser = await launchBrowser()
    page = browser.context.pages()[0] || (await browser.context.newPage())
    page.setDefaultTimeout(T)
    consoleErrors = watchConsole(page, [
      [401, /\/api\/v1\/(me|session)$/], // the login page asks who is there
      [422, /\/tasks\/import\?/], // the wrong file, on purpose
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

  it('the office opens the import on the tasks tab and downloads the template', async () => {
    await page.goto(server.url + '/login')
    await page.getByTestId('login-username').fill('office1')
    await page.getByTestId('login-password').fill(PASSWORD)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('home-greeting').waitFor()
    await page.goto(`${server.url}/campaigns/${campaign.id}?tab=tasks`)
    await page.getByText('该行动还没有分解任务。').waitFor()
    await page.getByTestId('task-import').click()
    const dlg = page.getByRole('dialog', { name: '从 Excel 导入任务分解表' })
    await dlg.waitFor()
    await dlg.getByText('必填列：任务名称').waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), dlg.getByTestId('task-import-template').click()])
    assert.equal(download.suggestedFilename(), '任务分解表模板.csv')
    const text = readFileSync(await download.path(), 'utf8')
    assert.ok(text.startsWith('\ufeff序号,上级序号,任务名称,任务类别,牵头单位'), text.slice(0, 80))
    assert.match(text, /重大项目/) // the campaign's own category in the example
  })

  it('a file with a wrong row names it and imports nothing', async () => {
    const dlg = page.getByRole('dialog', { name: '从 Excel 导入任务分解表' })
    await dlg.getByTestId('task-import-file').setInputFiles({
      name: '任务分解表.csv',
      mimeType: 'text/csv',
      buffer: csv([
        `1,,重点项目攻坚,重大项目,城中区,城东区,李强,${year}-12-31,签约项目,300,个,前期手续办结,${year}-06-30`,
        `2,,窗口服务提升,重点民生,不存在的区,,,${year}-11-30,,,,,`,
      ]),
    })
    await dlg.getByTestId('task-import-submit').click()
    await dlg.getByTestId('task-import-error').getByText('整批未导入').waitFor()
    const bad = dlg.getByTestId('task-import-rows').locator('.el-table__row')
    await bad.first().waitFor()
    assert.equal(await bad.count(), 1)
    assert.match(await bad.first().innerText(), /^3\s+牵头单位\s+.*不存在的区/) // the file's row 3, column 牵头单位
    await screenshot(page, '60-task-import-errors', { full: false })
    const r = await fetch(`${server.url}/healthz`)
    assert.equal(r.status, 200)
  })

  it('the corrected file imports, and the tasks appear in the tree', async () => {
    const dlg = page.getByRole('dialog', { name: '从 Excel 导入任务分解表' })
    await dlg.getByTestId('task-import-file').setInputFiles({
      name: '任务分解表.csv',
      mimeType: 'text/csv',
      buffer: csv([
        `1,,重点项目攻坚,重大项目,城中区,城东区,李强,${year}-12-31,签约项目,300,个,前期手续办结,${year}-06-30`,
        `1,,,,,,,,落地项目,200,个,,`,
        `1.1,1,项目用地保障,ZDXM,城东区,,,${year}-10-31,,,,,`,
        `2,,窗口服务提升,重点民生,城中区,,,${year}-11-30,,,,,`,
      ]),
    })
    await dlg.getByTestId('task-import-submit').click()
    await dlg.getByTestId('task-import-result').getByText('已导入 3 项任务').waitFor()
    assert.equal(await dlg.getByTestId('task-import-error').count(), 0)
    await screenshot(page, '61-task-import-done', { full: false })
    await dlg.getByRole('button', { name: '关闭', exact: true }).click()
    await dlg.waitFor({ state: 'hidden' })
    const table = page.getByTestId('task-table')
    await table.getByRole('link', { name: '重点项目攻坚' }).waitFor()
    await table.getByRole('link', { name: '项目用地保障' }).waitFor()
    await table.getByRole('link', { name: '窗口服务提升' }).waitFor()
    // the sub-task is nested under its parent
    const child = table.locator('.el-table__row--level-1')
    assert.match(await child.innerText(), /项目用地保障/)
    await screenshot(page, '62-task-import-tree')
    assert.deepEqual(consoleErrors, [])
  })
})
