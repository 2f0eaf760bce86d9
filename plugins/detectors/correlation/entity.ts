/** The entity an alert or a graph vertex is about: its id and what to show for it. */
import type { EntityType } from '../../../main/core/event.js';

export interface EntityKey {
  id: string;
  type: EntityType | '';
  value: string;
}
