/**
 * Rate-limit families (reference §11.1). A route names its family in
 * `options.plugins.rateLimit`; a route without one (health, the stream) is not limited.
 */
export type RateFamily = 'list' | 'detail' | 'coverage' | 'upload';

declare module '@hapi/hapi' {
  interface PluginSpecificConfiguration {
    rateLimit?: RateFamily;
  }
}
