/**
 * Serves the built renderer (`out/renderer`) at `/`, with an SPA fallback for client-side routes
 * and the security headers a local web UI needs.
 */
import path from 'node:path';
import Boom from '@hapi/boom';
import Inert from '@hapi/inert';
import type { Plugin } from '@hapi/hapi';

export interface DashboardOptions {
  rendererDir: string;
}

const CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'";

export const dashboardPlugin: Plugin<DashboardOptions> = {
  name: 'dashboard',
  version: '1.0.0',
  async register(server, { rendererDir }) {
    await server.register(Inert);
    const security = { xframe: 'deny' as const, noSniff: true, referrer: 'no-referrer' as const };
    server.route({
      method: 'GET',
      path: '/{path*}',
      options: { security },
      handler(request, h) {
        const wanted = request.params.path as string | undefined;
        if (wanted?.startsWith('api/')) throw Boom.notFound(`no API route ${request.path}`);
        // Unknown non-asset paths are client-side routes: answer with the app shell.
        const file = wanted && path.extname(wanted) ? wanted : 'index.html';
        return h.file(file, { confine: rendererDir }).header('Content-Security-Policy', CSP);
      },
    });
  },
};
