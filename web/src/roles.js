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

// the roles that work on campaigns (the administrators do not)
export const WORK = ['office', 'leader', 'liaison', 'inspector']

// roles: who sees the entry (empty: everyone logged in)
export const MENU = [
  { name: 'home', path: '/', icon: 'HomeFilled', roles: [] },
  { name: 'dashboard', path: '/dashboard', icon: 'DataBoard', roles: ['office', 'leader', 'inspector'] },
  { name: 'my', path: '/my', icon: 'Checked', roles: ['liaison'] },
  { name: 'campaigns', path: '/campaigns', icon: 'Flag', roles: WORK },
  { name: 'problems', path: '/problems', icon: 'List', roles: WORK },
  { name: 'ledger', path: '/ledger', icon: 'Notebook', roles: WORK },
  { name: 'inspections', path: '/inspections', icon: 'Aim', roles: ['office', 'inspector', 'leader'] },
  { name: 'complaints', path: '/complaints', icon: 'ChatDotSquare', roles: ['office', 'liaison', 'leader'] },
  { name: 'assessment', path: '/assessment', icon: 'Trophy', roles: ['office', 'leader'] },
  { name: 'units', path: '/units', icon: 'OfficeBuilding', roles: [] },
  { name: 'users', path: '/users', icon: 'User', roles: ['sysadmin', 'secadmin'] },
  { name: 'calendar', path: '/calendar', icon: 'Calendar', roles: [] },
  { name: 'audit', path: '/audit', icon: 'Document', roles: ['auditor'] },
]

// who may change what (mirrors the route tables in src/http/api_*.c)
export const CAN = {
  editUnits: ['sysadmin', 'office'],
  listUsers: ['sysadmin', 'secadmin'],
  createUsers: ['secadmin'],
  importCalendar: ['office', 'sysadmin'],
  readAudit: ['auditor'],
  setUpCampaigns: ['office'], // campaigns, quotas, tasks, reviews, warnings
  declareItems: ['office', 'liaison'],
  report: ['office', 'liaison'], // monthly reports, milestones (lead unit only)
  raiseProblems: ['office', 'liaison', 'inspector'],
  moveProblems: ['office', 'liaison'],
  closeProblems: ['office'], // close (销号), return, reopen
  answerComplaints: ['office', 'liaison', 'leader'],
  assignComplaints: ['office'],
  reportWarnings: ['office', 'liaison', 'leader'],
  bulletins: ['office'],
  inspections: ['office'], // inspection groups and leader links
  assessInputs: ['office'], // evaluations, adjustments, vetoes, cases
}

// the moves of a problem: [from, to, office only, needs a note, needs evidence]
export const PROBLEM_MOVES = [
  ['open', 'rectifying', false, false, false],
  ['rectifying', 'rectified', false, false, true],
  ['rectified', 'closed', true, false, false],
  ['rectified', 'returned', true, true, false],
  ['returned', 'rectifying', false, false, false],
  ['closed', 'reopened', true, true, false],
  ['reopened', 'rectifying', false, false, false],
]
export const PROBLEM_STATUSES = ['open', 'rectifying', 'rectified', 'returned', 'closed', 'reopened']
export const PROBLEM_SOURCES = ['self', 'public', 'superior', 'inspection', 'audit']
export const COMPLAINT_CHANNELS = ['web', 'phone', 'mailbox', 'wechat', 'tv', 'visit', 'app', 'letter']
export const COMPLAINT_STATUSES = ['received', 'assigned', 'replied', 'closed']
export const LIGHT_REASONS = ['milestone_overdue', 'task_overdue', 'milestone_due_soon', 'task_due_soon', 'report_missing']
