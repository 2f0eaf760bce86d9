/**
 * Routes with deep links (history mode; the dashboard plugin answers every non-API path with the
 * app). Groups and labels feed the sidebar. Legacy hashes of the original dashboard
 * (`#/alerts/<id>`, `#coverage`, `#sigma-rules`, `#entity=<uuid>`) are redirected.
 */
import { createRouter, createWebHistory, type RouteLocationRaw, type RouteRecordRaw } from 'vue-router';

export interface NavItem {
  name: string;
  label: string;
  group: 'Monitor' | 'Investigate' | 'Configure';
}

export const NAV: readonly NavItem[] = [
  { name: 'overview', label: 'Overview', group: 'Monitor' },
  { name: 'alerts', label: 'Alerts', group: 'Monitor' },
  { name: 'events', label: 'Events', group: 'Monitor' },
  { name: 'entities', label: 'Entities', group: 'Investigate' },
  { name: 'attack', label: 'ATT&CK', group: 'Investigate' },
  { name: 'hunt', label: 'Hunt', group: 'Investigate' },
  { name: 'sigma', label: 'Sigma rules', group: 'Configure' },
  { name: 'system', label: 'System', group: 'Configure' },
];

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/overview' },
  { path: '/overview', name: 'overview', component: () => import('./views/OverviewView.vue'), meta: { title: 'Overview' } },
  { path: '/alerts', name: 'alerts', component: () => import('./views/AlertsView.vue'), meta: { title: 'Alerts' } },
  {
    path: '/alerts/:id',
    name: 'alert',
    component: () => import('./views/AlertDetailView.vue'),
    props: true,
    meta: { title: 'Alert', nav: 'alerts' },
  },
  { path: '/events', name: 'events', component: () => import('./views/EventsView.vue'), meta: { title: 'Events' } },
  { path: '/entities', name: 'entities', component: () => import('./views/EntitiesView.vue'), meta: { title: 'Entities' } },
  {
    path: '/entities/:uuid',
    name: 'entity',
    component: () => import('./views/EntityView.vue'),
    props: true,
    meta: { title: 'Entity', nav: 'entities' },
  },
  { path: '/attack', name: 'attack', component: () => import('./views/AttackView.vue'), meta: { title: 'ATT&CK coverage' } },
  { path: '/hunt', name: 'hunt', component: () => import('./views/HuntView.vue'), meta: { title: 'Hunt' } },
  { path: '/sigma', name: 'sigma', component: () => import('./views/SigmaView.vue'), meta: { title: 'Sigma rules' } },
  {
    path: '/sigma/new',
    name: 'sigma-new',
    component: () => import('./views/SigmaEditorView.vue'),
    meta: { title: 'New Sigma rule', nav: 'sigma' },
  },
  {
    path: '/sigma/:id',
    name: 'sigma-rule',
    component: () => import('./views/SigmaView.vue'),
    props: true,
    meta: { title: 'Sigma rules', nav: 'sigma' },
  },
  { path: '/system', name: 'system', component: () => import('./views/SystemView.vue'), meta: { title: 'System' } },
  { path: '/:unknown(.*)*', redirect: '/overview' },
];

/** Where a legacy hash of the original dashboard points, if anywhere. */
export function legacyHashTarget(hash: string): RouteLocationRaw | undefined {
  const entity = /^#entity=([0-9a-f-]{36})/i.exec(hash);
  if (entity) return { name: 'entity', params: { uuid: entity[1]!.toLowerCase() } };
  if (hash === '#coverage') return '/attack';
  if (hash === '#sigma-rules') return '/sigma';
  if (hash.startsWith('#/')) return hash.slice(1);
  return undefined;
}

export function createAppRouter() {
  const router = createRouter({ history: createWebHistory(), routes });
  router.beforeEach((to) => legacyHashTarget(to.hash) ?? true);
  router.afterEach((to) => {
    document.title = `${String(to.meta.title ?? 'Seerflow')} · Seerflow`;
  });
  return router;
}
