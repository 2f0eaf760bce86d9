/**
 * Shared by the LLM integration tests: a tiny model on disk, waiting for the `llm` component,
 * events and alerts with real entity ids, and TP verdicts that make a rule-suggestion pattern.
 */
import path from 'node:path';
import type { Alert } from '../../main/core/alert.js';
import { entityRef } from '../../main/core/entity/identity.js';
import type { EntityRef, SeerflowEvent } from '../../main/core/event.js';
import { eventually, type TestAppliance } from '../support/appliance.js';
import { makeAlert } from '../support/make-alert.js';
import { makeEvent } from '../support/make-event.js';
import { writeTinyGguf, type TinyGgufOptions } from '../support/tiny-gguf.js';

export const S = 1_000_000_000n;
/** 2026-11-30T10:00:00Z: the tests' fixed clock. */
export const NOW = 1_796_032_800_000_000_000n;
export const fixedClock = () => NOW;

export const attacker = entityRef('ip', '203.0.113.7') as EntityRef;
export const web01 = entityRef('host', 'web01') as EntityRef;

export function tinyModel(dir: string, options: TinyGgufOptions = {}): string {
  return writeTinyGguf(path.join(dir, 'tiny.gguf'), options);
}

interface Health {
  status: string;
  components: Record<string, { status: string; detail?: string }>;
}

/** The `llm` component once it has left `starting`. */
export async function llmHealth(appliance: TestAppliance): Promise<{ status: number; llm: { status: string; detail?: string } }> {
  return eventually(async () => {
    const { status, body } = await appliance.get<Health>('/api/v1/health');
    const llm = body.components.llm!;
    return llm.status !== 'starting' && { status, llm };
  }, 30_000);
}

export async function storeEvents(appliance: TestAppliance, ...overrides: Array<Partial<SeerflowEvent>>): Promise<SeerflowEvent[]> {
  const { writer } = appliance.server.seerflow;
  const events = overrides.map((o, i) => makeEvent({ timestampNs: NOW - BigInt(overrides.length - i) * 60n * S, entities: [attacker, web01], ...o }));
  for (const event of events) writer.write(event);
  await writer.whenDurable();
  return events;
}

export async function storeAlert(appliance: TestAppliance, overrides: Partial<Alert> = {}): Promise<Alert> {
  const alert = makeAlert({ timestampNs: NOW - 30n * S, entityId: attacker.id, entityValue: attacker.value, ...overrides });
  await appliance.server.seerflow.alertStore.record(alert, 900n * S);
  return alert;
}

/** `count` alerts of one rule on `attacker`, each with a stored event and a TP verdict. */
export async function confirmedPattern(appliance: TestAppliance, count: number, ruleName = 'SSH brute force'): Promise<Alert[]> {
  const alerts: Alert[] = [];
  for (let i = 0; i < count; i++) {
    const [event] = await storeEvents(appliance, { message: `Failed password for root from 203.0.113.7 port ${4000 + i} ssh2` });
    const alert = await storeAlert(appliance, { ruleName, dedupKey: `${ruleName}:${i}`, contributingEventIds: [event!.eventId] });
    await appliance.server.seerflow.alertStore.submitFeedback(alert.alertId, 'tp', '', 'api', NOW);
    alerts.push(alert);
  }
  return alerts;
}
