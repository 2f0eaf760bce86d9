/**
 * Design tokens as colours a canvas library can parse. The tokens are OKLCH, which Cytoscape's
 * colour parser does not read; the browser converts by painting one pixel.
 */
let probe: CanvasRenderingContext2D | null | undefined;

/** The current value of `--<name>` on <html>, as `rgb(r, g, b)` (the token's text if it cannot be converted). */
export function tokenRgb(name: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim();
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!probe || !value) return value;
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = value;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
  return `rgb(${r}, ${g}, ${b})`;
}
