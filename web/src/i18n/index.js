// i18n - Chinese first, English as a switch; the choice is remembered.
// The words of the login page, the shell and the public portal come with
// the first download in Chinese; English is fetched when chosen, and the
// campaign pages' words (the "work" part) with the first of those pages.
import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN.js'

const KEY = 'duban.lang'
export const LANGUAGES = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
]

function initial() {
  try {
    const saved = localStorage.getItem(KEY)
    if (LANGUAGES.some((l) => l.code === saved)) return saved
  } catch {
    /* storage disabled */
  }
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN },
})

const loaders = {
  en: () => import('./en.js'),
  'zh-CN/work': () => import('./zh-CN-work.js'),
  'en/work': () => import('./en-work.js'),
}
const parts = new Set() // the parts asked for so far, e.g. 'work'
const loaded = new Set(['zh-CN'])

async function loadOne(key, code) {
  if (loaded.has(key)) return
  const m = await loaders[key]()
  i18n.global.mergeLocaleMessage(code, m.default)
  loaded.add(key)
}

/** The base messages of a language and every part asked for so far. */
async function load(code) {
  await loadOne(code, code)
  await Promise.all([...parts].map((p) => loadOne(`${code}/${p}`, code)))
}

/** Loads a part of the messages (in the current language and Chinese, the fallback). */
export async function loadPart(part) {
  parts.add(part)
  const code = i18n.global.locale.value
  await Promise.all([loadOne(`zh-CN/${part}`, 'zh-CN'), code === 'zh-CN' ? null : loadOne(`${code}/${part}`, code)])
}

function apply(code) {
  i18n.global.locale.value = code
  document.documentElement.lang = code
}

export async function setLanguage(code) {
  try {
    await load(code)
  } catch {
    return // offline: stay in the language we have
  }
  apply(code)
  try {
    localStorage.setItem(KEY, code)
  } catch {
    /* storage disabled */
  }
}

/** Resolves once the remembered language's messages are in. */
export const languageReady = (async () => {
  const code = initial()
  try {
    await load(code)
    apply(code)
  } catch {
    apply('zh-CN')
  }
})()

document.documentElement.lang = 'zh-CN'
