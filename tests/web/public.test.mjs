// The public portal on a phone (390×844): file a complaint, keep the
// tracking code, follow it, and - once the staff have answered, here over
// the API - rate it; then a campaign's public page.  No login anywhere,
// no console errors, nothing wider than the screen, big touch targets.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ADMIN_PASSWORD, apiAs, dayCST, launchBrowser, screenshot, startServer, watchConsole } from './duban.mjs'

const T = 20000

describe('public portal on a phone', { timeout: 120000 }, () => {
  let server, browser, page, consoleErrors, admin, code, campaignId

  const shot = (name) => screenshot(page, name)
  async function fitsTheScreen() {
    const w = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(w <= 390, `the page is ${w}px wide on a 390px screen`)
  }

  before(async () => {
    server = await startServer()
    admin = await apiAs(server.url, 'admin', ADMIN_PASSWORD)
    const me = await admin('GET', '/api/v1/me')
    const county = await admin('POST', '/api/v1/units', { name: '城中区', kind: 'county', parent_id: me.unit_id, code: '630102' })
    const c = await admin('POST', '/api/v1/campaigns', {
      title: '城中区“转作风、优环境”专项行动',
      doc_number: '城政办发〔2026〕8号',
      unit_id: me.unit_id,
      starts_on: dayCST(-30),
      ends_on: dayCST(20) < `${dayCST().slice(0, 4)}-12-31` ? dayCST(20) : `${dayCST().slice(0, 4)}-12-31`,
      phases: [{ name: '整改落实', starts_on: dayCST(-30), ends_on: dayCST(0) }],
      categories: [{ code: 'ZDMS', name: '重点民生', planned_tasks: 1 }],
      themes: ['慢作为', '不作为'],
    })
    campaignId = c.id
    await admin('POST', '/api/v1/tasks', {
      campaign_id: c.id,
      category_code: 'ZDMS',
      title: '老旧小区改造不少于20个',
      lead_unit_id: county.id,
      starts_on: c.starts_on,
      due_on: c.ends_on,
      indicators: [{ name: '改造小区', unit: '个', target: 20, comparator: '>=' }],
    })
    browser = await launchBrowser()
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    page = browser.context.pages()[0] || (await browser.context.newPage())
    await page.setViewportSize({ width: 390, height: 844 })
    page.setDefaultTimeout(T)
    consoleErrors = watchConsole(page)
  })

  after(async () => {
    if (browser) await browser.close()
    if (server) {
      const { code: exit, signal } = await server.stop()
      assert.equal(exit, 0, `duban serve exited with ${exit} (${signal}); see ${server.logPath}`)
      server.cleanup()
    }
  })

  it('opens the portal without logging in', async () => {
    await page.goto(server.url + '/public')
    await page.getByRole('heading', { name: '群众诉求服务' }).waitFor()
    const door = page.getByTestId('pub-go-file')
    const box = await door.boundingBox()
    assert.ok(box.height >= 44 && box.width >= 300, `the button is ${box.width}×${box.height}`)
    await fitsTheScreen()
    await shot('40-public-home')
  })

  it('files a complaint and shows the tracking code with a copy button', async () => {
    await page.getByTestId('pub-go-file').click()
    await page.waitForURL(/\/public\/file$/)
    await page.getByRole('radio', { name: /^作风问题/ }).check()
    await page.getByTestId('pub-content').fill('城中区政务服务中心不动产登记窗口中午提前半小时停止受理，群众多次往返。')
    await page.getByTestId('pub-address').fill('城中区政务服务中心二楼')
    await page.getByTestId('pub-contact').fill('13800000000')
    await fitsTheScreen()
    await shot('41-public-file')
    await page.getByTestId('pub-submit').click()
    await page.getByTestId('pub-done').waitFor()
    code = (await page.getByTestId('pub-code').innerText()).trim()
    assert.match(code, /^[0-9A-Z]{10}$/)
    await page.getByTestId('pub-copy').click()
    await page.getByTestId('pub-copy').getByText('已复制').waitFor()
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code)
    await fitsTheScreen()
    await shot('42-public-filed')
  })

  it('follows it by the code: in hand, not answered yet', async () => {
    await page.getByTestId('pub-follow').click()
    await page.waitForURL(new RegExp(`/public/track/${code}$`))
    await page.getByTestId('pub-track-status').getByText('办理中').waitFor()
    await page.getByText('正在办理').waitFor()
    assert.equal(await page.getByTestId('pub-rate').count(), 0) // nothing to rate yet
    await shot('43-public-track')
  })

  it('after the staff answer, shows the answer and takes a rating', async () => {
    // the office answers (the complaint names no unit: the root owns it)
    const list = await admin('GET', '/api/v1/complaints')
    const c = list.items.find((x) => x.tracking_code === code)
    assert.ok(c, 'the staff see the complaint')
    assert.equal(c.contact, '13800000000')
    await admin('POST', `/api/v1/complaints/${c.id}/reply`, { reply: '经核查情况属实，已责令窗口严格执行午间不间断服务，并对相关人员进行批评教育。' })

    // typing the code on the tracking page, as from another phone
    await page.goto(server.url + '/public/track')
    await page.getByTestId('pub-track-code').fill(code.toLowerCase())
    await page.getByTestId('pub-track-submit').click()
    await page.getByTestId('pub-reply').getByText('午间不间断服务').waitFor()
    await page.getByTestId('pub-track-status').getByText('已答复，请评价').waitFor()
    const rate = page.getByTestId('pub-rate')
    await rate.waitFor()
    for (const word of ['非常不满意', '不满意', '一般', '满意', '非常满意']) await rate.getByText(word, { exact: true }).waitFor()
    assert.equal(await rate.getByTestId('pub-rate-submit').isDisabled(), true)
    await rate.getByText('满意', { exact: true }).click()
    await rate.getByText('问题已解决').click()
    await rate.getByTestId('pub-rate-comment').fill('处理及时，态度很好')
    await fitsTheScreen()
    await shot('44-public-rate')
    await rate.getByTestId('pub-rate-submit').click()
    const rated = page.getByTestId('pub-rated')
    await rated.getByText('感谢您的评价').waitFor()
    assert.match(await rated.innerText(), /您的评价：满意/)
    await page.getByTestId('pub-track-status').getByText('已办结').waitFor()
    await shot('45-public-rated')

    const after = await admin('GET', `/api/v1/complaints/${c.id}`)
    assert.equal(after.rating_score, 4)
    assert.equal(after.rating_resolved, true)
  })

  it('shows the campaign\'s public page', async () => {
    await page.goto(`${server.url}/public/campaigns/${campaignId}`)
    await page.getByTestId('pub-campaign-title').getByText('城中区“转作风、优环境”专项行动').waitFor()
    await page.getByText('老旧小区改造不少于20个').waitFor()
    await fitsTheScreen()
    await shot('46-public-campaign')
  })

  it('logged no console errors', () => {
    assert.deepEqual(consoleErrors, [])
  })
})
