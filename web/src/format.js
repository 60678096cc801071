// format.js - dates and errors as the pages show them.
import { i18n } from './i18n/index.js'

const t = (...a) => i18n.global.t(...a)

/** "2026-11-23T14:11:53+08:00" -> "2026-11-23 14:11" (server time, UTC+8) */
export function formatTime(iso) {
  if (!iso) return ''
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso)
  return m ? `${m[1]} ${m[2]}` : iso
}

/** The weekday of a YYYY-MM-DD date, in the current language. */
export function weekday(ymd) {
  const [y, m, d] = ymd.split('-').map(Number)
  return t(`weekday.d${new Date(Date.UTC(y, m - 1, d)).getUTCDay()}`)
}

/** Today in China Standard Time, as YYYY-MM-DD. */
export function todayCST() {
  const now = new Date(Date.now() + 8 * 3600 * 1000)
  return now.toISOString().slice(0, 10)
}

/** A user-facing explanation of an ApiError: {title, detail}. */
export function describeError(e) {
  if (!e) return { title: '', detail: '' }
  if (e.code === 'network') return { title: t('err.network'), detail: '' }
  const key = `err.${e.code}`
  const known = i18n.global.te(key)
  const title = known ? t(key) : t('err.unknown', { status: e.status })
  const detail = e.message && e.message !== e.code ? t('err.detail', { msg: e.message }) : ''
  return { title, detail }
}

/** One line: the explanation and the server's words. */
export function errorText(e) {
  const d = describeError(e)
  return d.detail ? `${d.title} ${d.detail}` : d.title
}

/** 85.3 -> "85.3%"; null -> "—" */
export function pct(v, digits = 1) {
  if (v == null || Number.isNaN(v)) return '—'
  return `${Number(v).toFixed(digits).replace(/\.0+$/, '')}%`
}

/** A fraction 0..1 as a percentage; null (nothing to count) -> "—" */
export function rate(v) {
  return v == null ? '—' : pct(v * 100)
}

/** A number without trailing zeros: 60 -> "60", 51.25 -> "51.25" */
export function num(v) {
  if (v == null || v === '') return '—'
  const n = Number(v)
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100)
}

/** YYYY-MM-DD plus n calendar days. */
export function addDays(ymd, n) {
  const [y, m, d] = ymd.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}

/** Natural days from a to b (b - a). */
export function daysBetween(a, b) {
  const p = (s) => {
    const [y, m, d] = s.split('-').map(Number)
    return Date.UTC(y, m - 1, d)
  }
  return Math.round((p(b) - p(a)) / 86400000)
}

/** "2026-11" for a YYYY-MM-DD date, and the months before it. */
export function monthOf(ymd) {
  return ymd.slice(0, 7)
}
export function prevMonth(ym, n = 1) {
  const [y, m] = ym.split('-').map(Number)
  const d = new Date(Date.UTC(y, m - 1 - n, 1))
  return d.toISOString().slice(0, 7)
}
export function monthRange(ym) {
  const [y, m] = ym.split('-').map(Number)
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { from: `${ym}-01`, to: `${ym}-${String(last).padStart(2, '0')}` }
}

/** The periods a roll-up or a ranking can name, for the years a campaign spans. */
export function periodsOf(startsOn, endsOn) {
  const out = []
  const y0 = Number(startsOn.slice(0, 4))
  const y1 = Number(endsOn.slice(0, 4))
  for (let y = y0; y <= y1; y++) {
    for (let q = 1; q <= 4; q++) out.push(`${y}-Q${q}`)
    out.push(`${y}-H1`, `${y}-H2`, `${y}`)
  }
  return out
}

/** The period that holds a date: the quarter, or the half-year. */
export function quarterOf(ymd) {
  return `${ymd.slice(0, 4)}-Q${Math.floor((Number(ymd.slice(5, 7)) - 1) / 3) + 1}`
}
export function halfOf(ymd) {
  return `${ymd.slice(0, 4)}-H${Number(ymd.slice(5, 7)) <= 6 ? 1 : 2}`
}

/** "2026-Q1" -> 2026年第一季度 (words from the i18n messages). */
export function periodLabel(p) {
  if (!p) return ''
  let m
  if ((m = /^(\d{4})-Q([1-4])$/.exec(p))) return t('period.quarter', { y: m[1], q: t(`period.q${m[2]}`) })
  if ((m = /^(\d{4})-H([12])$/.exec(p))) return t(`period.h${m[2]}`, { y: m[1] })
  if ((m = /^(\d{4})-(\d{2})$/.exec(p))) return t('period.month', { y: m[1], m: Number(m[2]) })
  if ((m = /^(\d{4})$/.exec(p))) return t('period.year', { y: m[1] })
  return p
}
