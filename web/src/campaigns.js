// campaigns.js - the campaigns the user may read, and the one being looked
// at (remembered per browser, so every page opens on the same campaign).
import { reactive } from 'vue'
import { fetchAll } from './api.js'

const KEY = 'duban.campaign'

export const campaigns = reactive({
  list: [],
  loaded: false,
  current: readStored(),
})

function readStored() {
  try {
    const v = Number(localStorage.getItem(KEY))
    return Number.isInteger(v) && v > 0 ? v : null
  } catch {
    return null
  }
}

let loading = null

/** Every readable campaign (newest first); cached until reload=true. */
export function loadCampaigns(reload = false) {
  if (campaigns.loaded && !reload) return Promise.resolve(campaigns.list)
  if (!loading) {
    loading = fetchAll('/api/v1/campaigns')
      .then((items) => {
        items.sort((a, b) => b.starts_on.localeCompare(a.starts_on) || b.id - a.id)
        campaigns.list = items
        campaigns.loaded = true
        if (!items.some((c) => c.id === campaigns.current)) campaigns.current = items.length ? items[0].id : null
        return items
      })
      .finally(() => {
        loading = null
      })
  }
  return loading
}

export function setCurrentCampaign(id) {
  campaigns.current = id || null
  try {
    if (id) localStorage.setItem(KEY, String(id))
  } catch {
    /* storage disabled */
  }
}

export function campaignById(id) {
  return campaigns.list.find((c) => c.id === Number(id)) || null
}

/** Forget everything (logout). */
export function forgetCampaigns() {
  campaigns.list = []
  campaigns.loaded = false
}
