/**
 * Component readiness for `/health`: each part of the appliance registers a probe; a disabled
 * component is reported as such and is not a degradation.
 */
export type ComponentStatus = 'ok' | 'starting' | 'degraded' | 'disabled';

export interface ComponentHealth {
  status: ComponentStatus;
  detail?: string;
}

export class HealthRegistry {
  readonly #probes = new Map<string, () => ComponentHealth>();

  register(name: string, probe: () => ComponentHealth): void {
    this.#probes.set(name, probe);
  }

  disabled(name: string): void {
    this.#probes.set(name, () => ({ status: 'disabled' }));
  }

  report(): { status: 'ok' | 'degraded'; components: Record<string, ComponentHealth> } {
    const components: Record<string, ComponentHealth> = {};
    let degraded = false;
    for (const [name, probe] of this.#probes) {
      let health: ComponentHealth;
      try {
        health = probe();
      } catch (error) {
        health = { status: 'degraded', detail: (error as Error).message };
      }
      components[name] = health;
      if (health.status === 'degraded' || health.status === 'starting') degraded = true;
    }
    return { status: degraded ? 'degraded' : 'ok', components };
  }
}
