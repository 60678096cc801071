// The task breakdown's template (任务分解表模板): a CSV made in the browser,
// in the columns POST /campaigns/{id}/tasks/import reads (docs/api.md): the
// header row and example rows for the campaign (its first category, its end).
const HEADERS = ['序号', '上级序号', '任务名称', '任务类别', '牵头单位', '配合单位', '责任领导', '工作专班', '开始日期', '完成时限', '指标名称', '目标值', '方向', '计量单位', '节点名称', '节点时限']

function csvCell(v) {
  const s = v == null ? '' : String(v)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Downloads rows (arrays of cells) as a UTF-8 CSV that Excel opens. */
export function downloadCsv(rows, filename) {
  // a byte order mark, so that Excel reads it as UTF-8
  const text = '\ufeff' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** The template for campaign c; t is vue-i18n's. */
export function downloadTaskTemplate(c, t) {
  const cat = (c.categories && c.categories[0] && c.categories[0].name) || ''
  const year = (c.ends_on || '').slice(0, 4)
  downloadCsv(
    [
      HEADERS,
      ['1', '', t('taskImport.sampleTitle'), cat, t('taskImport.sampleLead'), t('taskImport.sampleCo'), t('taskImport.sampleLeader'), '', '', c.ends_on, t('taskImport.sampleIndicator'), '300', '≥', t('taskImport.sampleMeasure'), t('taskImport.sampleMilestone'), `${year}-06-30`],
      ['1', '', '', '', '', '', '', '', '', '', '', '', '', '', t('taskImport.sampleMilestone2'), `${year}-09-30`],
      ['1.1', '1', t('taskImport.sampleChild'), cat, t('taskImport.sampleLead'), '', '', '', '', c.ends_on, '', '', '', '', '', ''],
    ],
    t('taskImport.templateFile'),
  )
}
