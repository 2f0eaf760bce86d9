/**
 * Serves the built renderer (`out/renderer`) at `/`, with an SPA fallback for client-side routes
 * (any path without a file extension gets the app shell) and the security headers a local web
 * UI needs (CSP from csp.ts, no framing, no sniffing, no referrer). Hashed assets are cached for
 * good; the shell never is, so a new build is picked up on reload.
 */
import fs from 'node:fs';
import path from 'node:path';
import Boom from '@hapi/boom';
import Inert from '@hapi/inert';
import type { Plugin } from '@hapi/hapi';
import { contentSecurityPolicy, inlineScriptHashes } from './csp.js';

export interface DashboardOptions {
  rendererDir: string;
}

/** The inline-script hashes of the built index.html, re-read when the file changes (a rebuild). */
function shellHashes(rendererDir: string): () => string[] {
  let cached: { mtimeMs: number; hashes: string[] } | undefined;
  return () => {
    const file = path.join(rendererDir, 'index.html');
    try {
      const { mtimeMs } = fs.statSync(file);
      if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, hashes: inlineScriptHashes(fs.readFileSync(file, 'utf8')) };
      return cached.hashes;
    } catch {
      return []; // no build: inert answers 404 for the shell anyway
    }
  };
}

export const dashboardPlugin: Plugin<DashboardOptions> = {
  name: 'dashboard',
  version: '1.0.0',
  async register(server, { rendererDir }) {
    await server.register(Inert);
    const hashes = shellHashes(rendererDir);
    const security = { xframe: 'deny' as const, noSniff: true, referrer: 'no-referrer' as const };
    server.route({
      method: 'GET',
      path: '/{path*}',
      options: { security },
      handler(request, h) {
        const wanted = request.params.path as string | undefined;
        if (wanted?.startsWith('api/')) throw Boom.notFound(`no API route ${request.path}`);
        const isAsset = Boolean(wanted && path.extname(wanted));
        const response = h.file(isAsset ? wanted! : 'index.html', { confine: rendererDir });
        response.header('Content-Security-Policy', contentSecurityPolicy(request.info.host, hashes()));
        if (isAsset && wanted!.startsWith('assets/')) response.header('Cache-Control', 'public, max-age=31536000, immutable');
        else response.header('Cache-Control', 'no-cache');
        return response;
      },
    });
  },
};
