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
