// The tracking codes this browser filed, so that a reporter can find them
// again (kept on the phone only, never sent anywhere).
const KEY = 'duban.codes'

export function myCodes() {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) || '[]')
    return Array.isArray(v) ? v.filter((x) => x && typeof x.code === 'string') : []
  } catch {
    return []
  }
}

export function rememberCode(code, on) {
  try {
    const list = myCodes().filter((x) => x.code !== code)
    list.unshift({ code, on })
    localStorage.setItem(KEY, JSON.stringify(list.slice(0, 20)))
  } catch {
    /* storage disabled */
  }
}
