/**
 * First run: the demo replay (`POST /api/v1/demo` starts it, `GET /api/v1/demo` reports
 * progress). 409 = already running (progress is shown anyway); 503 = no demo data here; 404 =
 * this appliance has no demo routes.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { ApiError } from '../api/client';
import { demoStatus, startDemo } from '../api/system';
import type { DemoStatus } from '../api/types';

const POLL_MS = 1000;

export const useDemoStore = defineStore('demo', () => {
  const progress = shallowRef<DemoStatus | null>(null);
  const error = ref('');
  const available = ref(true);
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function poll(): Promise<void> {
    clearTimeout(timer);
    try {
      progress.value = await demoStatus();
      if (progress.value.status === 'running') timer = setTimeout(() => void poll(), POLL_MS);
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  async function start(): Promise<void> {
    error.value = '';
    try {
      const started = await startDemo();
      progress.value = { status: 'running', sent: 0, total: started.total };
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 409) {
        available.value = !(e instanceof ApiError && (e.status === 503 || e.status === 404));
        error.value = e instanceof ApiError && e.status === 503 ? 'Demo data is not available on this appliance' : (e as Error).message;
        return;
      }
    }
    await poll();
  }

  return { progress, error, available, start, poll };
});
