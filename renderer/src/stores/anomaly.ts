/**
 * The Overview's anomaly timeline (`/anomaly/timeline`): score, threshold and alert counts per
 * bucket over a range and resolution the user picks; refreshed with the resolution's period.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { isAbort } from '../api/client';
import { anomalyTimeline } from '../api/system';
import { RESOLUTIONS_OF, type AnomalyBucket, type Range, type Resolution } from '../api/types';

const REFRESH_MS: Record<Resolution, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 };

export const useAnomalyStore = defineStore('anomaly', () => {
  const range = ref<Range>('1h');
  const resolution = ref<Resolution>('1m');
  const items = shallowRef<AnomalyBucket[]>([]);
  const loading = ref(false);
  const error = ref('');
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  async function load(): Promise<void> {
    controller?.abort();
    const own = (controller = new AbortController());
    loading.value = true;
    try {
      items.value = (await anomalyTimeline(range.value, resolution.value, own.signal)).items;
      error.value = '';
    } catch (e) {
      if (!isAbort(e)) error.value = (e as Error).message;
    } finally {
      if (controller === own) loading.value = false;
    }
    clearInterval(timer);
    timer = setInterval(() => void load(), REFRESH_MS[resolution.value]);
  }

  /** A new range keeps the resolution when the range allows it, else takes the range's first. */
  function setRange(next: Range): Promise<void> {
    range.value = next;
    if (!RESOLUTIONS_OF[next].includes(resolution.value)) resolution.value = RESOLUTIONS_OF[next][0]!;
    return load();
  }

  function setResolution(next: Resolution): Promise<void> {
    resolution.value = next;
    return load();
  }

  return { range, resolution, items, loading, error, load, setRange, setResolution };
});
