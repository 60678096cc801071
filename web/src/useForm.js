// useForm - a form that posts (in a dialog or on a page): open, busy, the
// error for the alert, and the messages per field (the page's own checks,
// then the server's `error.field`).
import { reactive } from 'vue'

export function useForm(extra = {}) {
  const state = reactive({ open: false, busy: false, error: null, fields: {}, ...extra })

  /** Opens it afresh; `more` sets the extra state (a kind, a row…). */
  function open(more = {}) {
    Object.assign(state, { open: true, busy: false, error: null, fields: {} }, more)
  }

  /**
   * Runs check(fields) - it names what is wrong in fields, or returns false
   * to stop - then send() while busy.  A failure is kept for the alert, its
   * field's message put at the field, and handed to failed(e).  Resolves
   * true when sent.
   */
  async function submit(send, { check, failed } = {}) {
    state.error = null
    state.fields = {}
    if (check && (await check(state.fields)) === false) return false
    if (Object.keys(state.fields).length) return false
    state.busy = true
    try {
      await send()
      return true
    } catch (e) {
      state.error = e
      if (e.field) state.fields[e.field] = e.message
      if (failed) await failed(e)
      return false
    } finally {
      state.busy = false
    }
  }

  return { state, open, submit }
}

/** A watcher's callback for a form: a field that changed loses its message. */
export function clearChanged(state) {
  return (n, o) => {
    for (const k of Object.keys(n)) if (n[k] !== o[k]) delete state.fields[k]
  }
}
