// units.js - the unit tree, built on this side from parent_id.
import { reactive } from 'vue'
import { api, fetchAll } from './api.js'

export async function loadUnits() {
  return fetchAll('/api/v1/units')
}

/**
 * Nests a flat list into roots with `children`, siblings by code then name.
 * A unit whose parent is out of scope (or absent) is a root: a county user's
 * tree starts at the county.
 */
export function buildTree(units) {
  const byId = new Map()
  for (const u of units) byId.set(u.id, { ...u, children: [] })
  const roots = []
  for (const node of byId.values()) {
    const parent = node.parent_id != null ? byId.get(node.parent_id) : null
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  const sort = (list) => {
    list.sort((a, b) => a.code.localeCompare(b.code) || a.name.localeCompare(b.name, 'zh-CN'))
    for (const n of list) sort(n.children)
  }
  sort(roots)
  return roots
}

/** The subtree that keeps each match and its ancestors. */
export function filterTree(nodes, q) {
  const needle = q.trim().toLowerCase()
  if (!needle) return nodes
  const out = []
  for (const n of nodes) {
    const kids = filterTree(n.children, q)
    const hit = n.name.toLowerCase().includes(needle) || n.code.toLowerCase().includes(needle)
    if (hit || kids.length) out.push({ ...n, children: hit ? n.children : kids })
  }
  return out
}

/** For el-tree-select: {value, label, children}. */
export function selectTree(nodes) {
  return nodes.map((n) => ({ value: n.id, label: n.name, children: selectTree(n.children) }))
}

/* --- names of the units in scope, loaded once per session --- */

export const unitIndex = reactive({ byId: new Map(), list: [], loaded: false })
let unitsLoading = null

/** Loads the units in scope once (reload=true after a change). */
export function ensureUnits(reload = false) {
  if (unitIndex.loaded && !reload) return Promise.resolve(unitIndex.list)
  if (!unitsLoading) {
    unitsLoading = loadUnits()
      .then((list) => {
        unitIndex.list = list
        unitIndex.byId = new Map(list.map((u) => [u.id, u]))
        unitIndex.loaded = true
        return list
      })
      .finally(() => {
        unitsLoading = null
      })
  }
  return unitsLoading
}

/**
 * A unit's name.  One outside the caller's scope (a task's co-unit in a
 * neighbour county, say) is named from the public list of units
 * (GET /public/units, names only), fetched once the first time a name is
 * missing; "#id" until it has come, or when it cannot.
 */
export function unitName(id) {
  if (id == null) return ''
  const u = unitIndex.byId.get(id)
  if (u) return u.name
  const name = outside.byId.get(id)
  if (name) return name
  if (unitIndex.loaded) loadOutsideNames()
  return `#${id}`
}

const outside = reactive({ byId: new Map() })
let outsideTried = false // not reactive: set while rendering

function loadOutsideNames() {
  if (outsideTried) return
  outsideTried = true
  api('GET', '/api/v1/public/units', { quiet: true })
    .then((r) => {
      outside.byId = new Map(r.units.map((x) => [x.id, x.name]))
    })
    .catch(() => {})
}

/** The ids of a unit and everything under it (units in scope only). */
export function subtreeIds(rootId) {
  const kids = new Map()
  for (const u of unitIndex.list) {
    if (!kids.has(u.parent_id)) kids.set(u.parent_id, [])
    kids.get(u.parent_id).push(u.id)
  }
  const out = new Set()
  const stack = [rootId]
  while (stack.length) {
    const id = stack.pop()
    if (out.has(id)) continue
    out.add(id)
    for (const k of kids.get(id) || []) stack.push(k)
  }
  return out
}

export function forgetUnits() {
  unitIndex.byId = new Map()
  unitIndex.list = []
  unitIndex.loaded = false
  outside.byId = new Map()
  outsideTried = false
}
