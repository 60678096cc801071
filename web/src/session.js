// session.js - who is logged in, shared by every page.
import { reactive } from 'vue'
import { api, setCsrfToken, hasCsrfToken } from './api.js'
import { forgetUnits } from './units.js'
import { forgetCampaigns } from './campaigns.js'

export const session = reactive({
  user: null, // GET /api/v1/me: {id, username, display_name, roles, unit}
  ready: false, // restore() has run once
  lost: null, // why the stored session could not be restored ('expired')
})

export function hasRole(...roles) {
  const mine = session.user ? session.user.roles : []
  return roles.some((r) => mine.includes(r))
}

let restoring = null

/** On load: ask the server whether the cookie still holds a session. */
export function restore() {
  if (session.ready) return Promise.resolve(session.user)
  if (!restoring) {
    restoring = api('GET', '/api/v1/me', { quiet: true })
      .then((me) => {
        session.user = me
      })
      .catch((e) => {
        session.user = null
        if (e && e.code === 'session_expired') session.lost = 'expired'
      })
      .finally(() => {
        session.ready = true
        restoring = null
      })
  }
  return restoring.then(() => session.user)
}

export async function login(username, password) {
  const out = await api('POST', '/api/v1/session', {
    body: { username, password },
  })
  setCsrfToken(out.csrf_token)
  forgetUnits() // another user may have logged in on this tab
  forgetCampaigns()
  // the login answer has no unit; /me has everything the shell shows
  session.user = await api('GET', '/api/v1/me')
  session.ready = true
  return session.user
}

export async function logout() {
  try {
    if (session.user) await api('DELETE', '/api/v1/session', { quiet: true })
  } finally {
    forget()
  }
}

/** Drops the session on this side only (it is gone on the server). */
export function forget() {
  setCsrfToken(null)
  forgetUnits()
  forgetCampaigns()
  session.user = null
  session.ready = true
}

export { hasCsrfToken }
