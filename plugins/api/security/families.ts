/**
 * Rate-limit families (reference §11.1). A route names its family in
 * `options.plugins.rateLimit`; a route without one (health, the stream) is not limited.
 */
export const rateFamilies = ['list', 'detail', 'coverage', 'upload'] as const;

export type RateFamily = (typeof rateFamilies)[number];

declare module '@hapi/hapi' {
  interface PluginSpecificConfiguration {
    rateLimit?: RateFamily;
  }
}
