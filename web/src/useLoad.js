// useLoad - one request's state for a panel: data, loading, error, and a
// run() that drops answers overtaken by a later run.
import { reactive } from 'vue'

export function useLoad(fn, initial = null) {
  const state = reactive({ data: initial, loading: false, error: null, loaded: false })
  let seq = 0
  async function run(...args) {
    const mine = ++seq
    state.loading = true
    state.error = null
    try {
      const data = await fn(...args)
      if (mine === seq) {
        state.data = data
        state.loaded = true
      }
    } catch (e) {
      if (mine === seq) state.error = e
    } finally {
      if (mine === seq) state.loading = false
    }
  }
  return { state, run }
}

/** Runs fn over items, at most n at a time; resolves with the results in order. */
export async function pool(items, n, fn) {
  const out = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker))
  return out
}

/**
 * Runs fn with state.loading set and state.error cleared; a failure is kept
 * in state.error.  For the lists a page keeps in its own reactive state.
 */
export async function tracked(state, fn) {
  state.loading = true
  state.error = null
  try {
    await fn()
  } catch (e) {
    state.error = e
  } finally {
    state.loading = false
  }
}
