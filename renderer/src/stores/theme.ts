/**
 * Dark / light theme: `.sf-light` on `<html>`, persisted in `localStorage["seerflow-theme"]`.
 * index.html applies the stored choice before the first paint; this store takes over from there
 * and tells the charts and the graph to restyle (`seerflow-theme` window event).
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export type Theme = 'dark' | 'light';
export const THEME_KEY = 'seerflow-theme';

function stored(): Theme {
  try {
    return localStorage.getItem(THEME_KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

export const useThemeStore = defineStore('theme', () => {
  const theme = ref<Theme>(typeof localStorage === 'undefined' ? 'dark' : stored());

  function set(next: Theme): void {
    theme.value = next;
    document.documentElement.classList.toggle('sf-light', next === 'light');
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    window.dispatchEvent(new CustomEvent('seerflow-theme', { detail: { light: next === 'light' } }));
  }

  return { theme, set, toggle: () => set(theme.value === 'dark' ? 'light' : 'dark') };
});
