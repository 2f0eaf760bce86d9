/** `fields[key] = value`, also for the key `__proto__` (which would otherwise set the prototype). */
import type { FieldValue, Fields } from '../event.js';

export function setField(fields: Fields, key: string, value: FieldValue): void {
  if (key === '__proto__') Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
  else fields[key] = value;
}
