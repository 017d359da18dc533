import type { Resvg as ResvgClass, ResvgRenderOptions } from '@resvg/resvg-js';
import { Chart, ChartSize, SCALE_LIMITS } from './chart';
import { chartSvg, FONT_FAMILY } from './chart-svg';
import { ChartError } from './charts.errors';
import { fontFiles } from './dejavu-font';

let Resvg: typeof ResvgClass | undefined;

/**
 * The same chart as PNG (rendered from the SVG by resvg with the DejaVu Sans TTF shipped in dejavu-fonts-ttf,
 * system fonts off, so output is the same on every machine). `scale` (default 2) for print sharpness.
 */
export function chartPng(chart: Chart, size: ChartSize & { scale?: number } = {}): { png: Buffer; width: number; height: number } {
  const scale = size.scale ?? 2;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale < SCALE_LIMITS.min || scale > SCALE_LIMITS.max) {
    throw new ChartError('CHART.INVALID_SIZE', `The scale must be a number from ${SCALE_LIMITS.min} to ${SCALE_LIMITS.max}`, { scale: String(scale) });
  }
  const svg = chartSvg(chart, size);
  // Loaded on first use: the native binding is only needed by callers that make PNGs.
  Resvg ??= (require('@resvg/resvg-js') as typeof import('@resvg/resvg-js')).Resvg;
  const files = fontFiles();
  const options: ResvgRenderOptions = {
    font: { loadSystemFonts: false, fontFiles: [files.normal, files.bold], defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    logLevel: 'off',
  };
  const image = new Resvg(svg, options).render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
