/** The one path for telling the user what happened: short-lived toasts (success 3 s, error 5 s). */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiError } from '../api/client';

export interface Toast {
  id: number;
  kind: 'success' | 'error';
  text: string;
}

export const useToastsStore = defineStore('toasts', () => {
  const items = ref<Toast[]>([]);
  let next = 1;

  function push(kind: Toast['kind'], text: string): void {
    const id = next++;
    items.value = [...items.value.slice(-4), { id, kind, text }];
    setTimeout(() => dismiss(id), kind === 'success' ? 3000 : 5000);
  }

  function dismiss(id: number): void {
    items.value = items.value.filter((t) => t.id !== id);
  }

  /** Report a failure: `what` says what failed, the error says why. */
  function reportError(what: string, error: unknown): void {
    const why = error instanceof ApiError || error instanceof Error ? error.message : String(error);
    push('error', `${what}: ${why}`);
  }

  return { items, success: (text: string) => push('success', text), reportError, dismiss };
});
