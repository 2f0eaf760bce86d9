/**
 * Entry: the app, its router and stores, and start-up loading. Data loads here, at start-up,
 * whatever screen opens first: the live stream, stats/health/config, the recent alerts, the
 * newest events and the anomaly timeline (the original filled its alert store only on the
 * Alerts screen, dashboard reference §9 item 2).
 */
import { Client } from '@hapi/nes/lib/client';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { streamUrl, type NesClientLike } from './api/stream';
import { createAppRouter } from './router';
import { useAlertsStore } from './stores/alerts';
import { useAnomalyStore } from './stores/anomaly';
import { useEventsStore } from './stores/events';
import { useStreamStore } from './stores/stream';
import { useSystemStore } from './stores/system';
import './styles.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(createAppRouter());

const url = streamUrl(location) as `ws://${string}`;
useStreamStore().start(() => new Client(url) as unknown as NesClientLike);
void useSystemStore().start();
void useAlertsStore().warm();
void useEventsStore().warm();
void useAnomalyStore().load();

app.mount('#app');
