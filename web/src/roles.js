// roles.js - roles, unit kinds and the menu, in the server's vocabulary;
// their labels live in the i18n messages (role.*, kind.*, menu.*).

export const ROLES = [
  'sysadmin',
  'secadmin',
  'auditor',
  'office',
  'leader',
  'liaison',
  'inspector',
]

export const UNIT_KINDS = [
  'province',
  'city',
  'county',
  'township',
  'department',
  'office',
  'other',
]

/** The kind a new child of a unit of this kind usually has. */
export function childKind(parentKind) {
  return (
    { province: 'city', city: 'county', county: 'township' }[parentKind] ||
    'department'
  )
}

// roles: who sees the entry (empty: everyone logged in)
export const MENU = [
  { name: 'home', path: '/', icon: 'HomeFilled', roles: [] },
  { name: 'units', path: '/units', icon: 'OfficeBuilding', roles: [] },
  { name: 'users', path: '/users', icon: 'User', roles: ['sysadmin', 'secadmin'] },
  { name: 'calendar', path: '/calendar', icon: 'Calendar', roles: [] },
  { name: 'audit', path: '/audit', icon: 'Document', roles: ['auditor'] },
]

// who may change what (mirrors the route table in src/http/api.c)
export const CAN = {
  editUnits: ['sysadmin', 'office'],
  listUsers: ['sysadmin', 'secadmin'],
  createUsers: ['secadmin'],
  importCalendar: ['office', 'sysadmin'],
  readAudit: ['auditor'],
}
