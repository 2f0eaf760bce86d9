import { describe, expect, it } from 'vitest';
import { entityRef } from '../../../main/core/entity/identity.js';
import type { EntityRef } from '../../../main/core/event.js';
import { makeEvent } from '../../../test/support/make-event.js';
import { EntityGraph, inferEdges, MAX_EDGES_PER_EVENT } from './entity-graph.js';

const ref = (type: EntityRef['type'], value: string) => entityRef(type, value)!;
const alice = ref('user', 'alice');
const ip = ref('ip', '10.0.0.5');
const host = ref('host', 'web01');

describe('inferEdges', () => {
  it('types and orients each pair per the edge map, whatever the extraction order', () => {
    const edges = inferEdges([host, ip, alice, ref('file', '/etc/shadow'), ref('domain', 'example.org')]);
    expect(edges.map(([a, b, rel]) => `${a.value} -${rel}-> ${b.value}`)).toEqual([
      '10.0.0.5 -has_ip-> web01',
      'alice -logged_into-> web01',
      'alice -authenticated_from-> 10.0.0.5',
      '10.0.0.5 -resolved_to-> example.org',
      'alice -accessed-> /etc/shadow',
    ]);
  });

  it('links processes in extraction order (earlier → later) and caps the edges of one event', () => {
    const procs = ['sshd:1', 'bash:2', 'curl:3'].map((p) => ref('process', p));
    expect(inferEdges(procs).map(([a, b]) => `${a.value}>${b.value}`)).toEqual(['sshd:1>bash:2', 'sshd:1>curl:3', 'bash:2>curl:3']);
    const many = Array.from({ length: 20 }, (_, i) => ref('process', `p:${i}`));
    expect(inferEdges(many)).toHaveLength(MAX_EDGES_PER_EVENT);
  });
});

describe('EntityGraph', () => {
  it('upserts edges (first/last seen, count) and returns only the new ones', () => {
    const graph = new EntityGraph(100);
    const event = makeEvent({ entities: [alice, ip] });
    expect(graph.addEvent(event, 2000)).toHaveLength(1);
    expect(graph.addEvent(event, 1000)).toEqual([]);
    expect(graph.addEvent(event, 3000)).toEqual([]);
    const [edge] = graph.toState().edges;
    expect(edge!.slice(2)).toEqual(['authenticated_from', 1000, 3000, 3]);
    expect(graph.snapshot().out).toEqual([[1], []]);
  });

  it('evicts the least recently seen edge beyond maxEdges, and a vertex with its last edge', () => {
    const graph = new EntityGraph(2);
    graph.addEvent(makeEvent({ entities: [alice, ip] }), 1);
    graph.addEvent(makeEvent({ entities: [ip, host] }), 2);
    graph.addEvent(makeEvent({ entities: [alice, ip] }), 3); // refreshed: now the most recent
    graph.addEvent(makeEvent({ entities: [ref('user', 'bob'), ip] }), 4);
    expect(graph.edgeCount).toBe(2);
    expect(graph.evicted).toBe(1);
    expect(graph.vertex(host.id)).toBeUndefined();
    expect(graph.vertexCount).toBe(3);
  });

  it('round-trips through its state', () => {
    const graph = new EntityGraph(10);
    graph.addEvent(makeEvent({ entities: [alice, ip, host] }), 5);
    const restored = new EntityGraph(10, JSON.parse(JSON.stringify(graph.toState())));
    expect(restored.toState()).toEqual(graph.toState());
    expect(restored.vertex(alice.id)).toEqual({ id: alice.id, type: 'user', value: 'alice' });
  });
});
