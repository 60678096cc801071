// usePublicForm - a public form that is sent once (a complaint, a rating):
// useForm's state with the answer in `done`; once sent the page goes to the
// top and the focus to what says it was received.
import { nextTick } from 'vue'
import { useForm } from '../useForm.js'

export function usePublicForm(extra = {}) {
  const { state, submit } = useForm({ done: null, ...extra })
  /** post() sends and resolves with the answer; doneEl is the ref to focus. */
  function send(post, doneEl, opts) {
    return submit(async () => {
      state.done = await post()
      window.scrollTo(0, 0)
      nextTick(() => doneEl.value && doneEl.value.focus())
    }, opts)
  }
  return { state, send }
}
