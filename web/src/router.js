// router.js - one lazily loaded chunk per page, so that the login page
// loads only what it needs.
import { createRouter, createWebHistory } from 'vue-router'
import { session, restore, hasRole, forget } from './session.js'
import { onAuthLost } from './api.js'
import { i18n } from './i18n/index.js'

const routes = [
  {
    path: '/login',
    name: 'login',
    component: () => import('./views/LoginView.vue'),
    meta: { public: true, title: 'login.title' },
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
