/**
 * A small OpenAI-compatible server for tests (node:http): `POST /v1/chat/completions` answers
 * the JSON the request's `response_format.json_schema.name` calls for, from `answers`; a test can
 * instead make it fail, answer prose, or stall. Every request is recorded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type StubBehaviour = 'answer' | 'http_500' | 'prose' | 'stall';

export interface OpenAiStub {
  baseUrl: string;
  requests: Array<{ headers: http.IncomingHttpHeaders; body: Record<string, unknown> }>;
  behaviour: StubBehaviour;
  answers: Record<string, unknown>;
  close(): Promise<void>;
}

export async function startOpenAiStub(answers: Record<string, unknown>): Promise<OpenAiStub> {
  const stalled = new Set<http.ServerResponse>();
  const stub: OpenAiStub = { baseUrl: '', requests: [], behaviour: 'answer', answers, close: async () => {} };
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
        response.writeHead(404).end();
        return;
      }
      const body = JSON.parse(text) as { response_format?: { json_schema?: { name?: string } } };
      stub.requests.push({ headers: request.headers, body });
      const send = (content: string) =>
        response
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
      switch (stub.behaviour) {
        case 'http_500':
          response.writeHead(500, { 'Content-Type': 'application/json' }).end('{"error":{"message":"model crashed"}}');
          return;
        case 'prose':
          send('I am sorry, I cannot help with that.');
          return;
        case 'stall':
          stalled.add(response);
          return;
        case 'answer':
          send(JSON.stringify(stub.answers[body.response_format?.json_schema?.name ?? ''] ?? {}));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  stub.close = async () => {
    for (const response of stalled) response.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return stub;
}
