// units.js - the unit tree, built on this side from parent_id.
import { fetchAll } from './api.js'

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
