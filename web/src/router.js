// router.js - one lazily loaded chunk per page, so that the login page
// loads only what it needs.
import { createRouter, createWebHistory } from 'vue-router'
import { session, restore, hasRole, forget } from './session.js'
import { onAuthLost } from './api.js'
import { i18n, loadPart } from './i18n/index.js'
import { WORK } from './roles.js'

const routes = [
  {
    path: '/login',
    name: 'login',
    component: () => import('./views/LoginView.vue'),
    meta: { public: true, title: 'login.title' },
  },
  {
    // the public portal: mobile first, no login, its own light frame
    path: '/public',
    component: () => import('./public/PublicLayout.vue'),
    meta: { public: true, portal: true },
    children: [
      {
        path: '',
        name: 'pub-home',
        component: () => import('./public/PublicHomeView.vue'),
        meta: { public: true, portal: true, title: 'pub.homeTitle' },
      },
      {
        path: 'file',
        name: 'pub-file',
        component: () => import('./public/PublicFileView.vue'),
        meta: { public: true, portal: true, title: 'pub.fileTitle' },
      },
      {
        path: 'track/:code?',
        name: 'pub-track',
        component: () => import('./public/PublicTrackView.vue'),
        meta: { public: true, portal: true, title: 'pub.trackTitle' },
      },
      {
        path: 'rate',
        name: 'pub-rate',
        component: () => import('./public/PublicRateView.vue'),
        meta: { public: true, portal: true, title: 'publicRate.title' },
      },
      {
        path: 'campaigns/:id(\\d+)',
        name: 'pub-campaign',
        component: () => import('./public/PublicCampaignView.vue'),
        meta: { words: 'work', public: true, portal: true, title: 'pub.campaignTitle' },
      },
      {
        path: ':rest(.*)*',
        name: 'pub-not-found',
        component: () => import('./public/PublicHomeView.vue'),
        meta: { public: true, portal: true, title: 'pub.homeTitle' },
      },
    ],
  },
  {
    path: '/',
    component: () => import('./components/AppShell.vue'),
    children: [
      {
        path: '',
        name: 'home',
        component: () => import('./views/HomeView.vue'),
        meta: { title: 'menu.home' },
      },
      {
        path: 'dashboard',
        name: 'dashboard',
        component: () => import('./views/DashboardView.vue'),
        meta: { words: 'work', title: 'menu.dashboard', roles: WORK },
      },
      {
        path: 'my',
        name: 'my',
        component: () => import('./views/MyWorkView.vue'),
        meta: { words: 'work', title: 'menu.my', roles: WORK },
      },
      {
        path: 'campaigns',
        name: 'campaigns',
        component: () => import('./views/CampaignsView.vue'),
        meta: { words: 'work', title: 'menu.campaigns', roles: WORK },
      },
      {
        path: 'campaigns/:id(\\d+)',
        name: 'campaign',
        component: () => import('./views/CampaignView.vue'),
        meta: { words: 'work', title: 'menu.campaigns', roles: WORK, menu: '/campaigns' },
      },
      {
        path: 'tasks/:id(\\d+)',
        name: 'task',
        component: () => import('./views/TaskView.vue'),
        meta: { words: 'work', title: 'task.pageTitle', roles: WORK, menu: '/campaigns' },
      },
      {
        path: 'problems',
        name: 'problems',
        component: () => import('./views/ProblemsView.vue'),
        meta: { words: 'work', title: 'menu.problems', roles: WORK },
      },
      {
        path: 'problems/:id(\\d+)',
        name: 'problem',
        component: () => import('./views/ProblemView.vue'),
        meta: { words: 'work', title: 'problem.pageTitle', roles: WORK, menu: '/problems' },
      },
      {
        path: 'ledger',
        name: 'ledger',
        component: () => import('./views/LedgerView.vue'),
        meta: { words: 'work', title: 'menu.ledger', roles: WORK },
      },
      {
        path: 'inspections',
        name: 'inspections',
        component: () => import('./views/InspectionsView.vue'),
        meta: { words: 'work', title: 'menu.inspections', roles: WORK },
      },
      {
        path: 'complaints',
        name: 'complaints',
        component: () => import('./views/ComplaintsView.vue'),
        meta: { words: 'work', title: 'menu.complaints', roles: WORK },
      },
      {
        path: 'complaints/:id(\\d+)',
        name: 'complaint',
        component: () => import('./views/ComplaintView.vue'),
        meta: { words: 'work', title: 'complaint.pageTitle', roles: WORK, menu: '/complaints' },
      },
      {
        path: 'assessment',
        name: 'assessment',
        component: () => import('./views/AssessmentView.vue'),
        meta: { words: 'work', title: 'menu.assessment', roles: WORK },
      },
      {
        path: 'units',
        name: 'units',
        component: () => import('./views/UnitsView.vue'),
        meta: { title: 'menu.units' },
      },
      {
        path: 'users',
        name: 'users',
        component: () => import('./views/UsersView.vue'),
        meta: { title: 'menu.users', roles: ['sysadmin', 'secadmin'] },
      },
      {
        path: 'calendar',
        name: 'calendar',
        component: () => import('./views/CalendarView.vue'),
        meta: { title: 'menu.calendar' },
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('./views/AuditView.vue'),
        meta: { title: 'menu.audit', roles: ['auditor'] },
      },
      {
        path: ':rest(.*)*',
        name: 'not-found',
        component: () => import('./views/NotFoundView.vue'),
        meta: { title: 'notFound.title' },
      },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  // the page's words, when they are not in the first download
  if (to.meta.words) await loadPart(to.meta.words).catch(() => {})
  // the public portal never asks who is logged in
  if (to.meta.portal) return true
  await restore()
  if (to.meta.public) {
    if (to.name === 'login' && session.user) return { name: 'home' }
    return true
  }
  if (!session.user) {
    const query = to.fullPath !== '/' ? { redirect: to.fullPath } : {}
    if (session.lost) query.reason = session.lost
    session.lost = null
    return { name: 'login', query }
  }
  return true
})

export function pageTitle(route) {
  const t = i18n.global.t
  const name = t('app.name')
  return route.meta.title ? `${t(route.meta.title)} · ${name}` : name
}

router.afterEach((to) => {
  document.title = pageTitle(to)
})

// a request found the session gone: back to the login page, with a note
onAuthLost((code) => {
  forget()
  const current = router.currentRoute.value
  if (current.name === 'login') return
  const reason = code === 'session_expired' ? 'expired' : code === 'csrf' ? 'csrf' : 'unauthenticated'
  const query = { reason }
  if (current.fullPath !== '/') query.redirect = current.fullPath
  router.replace({ name: 'login', query })
})

export { hasRole }
