/** Geometry of the sales chart: tickets sold per hour as bars on a scale with round ticks. */

export interface HourPoint {
  hour: string; // ISO start of the hour (UTC)
  tickets: number;
  gross: number;
}

export interface Bar {
  hour: string;
  tickets: number;
  gross: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChartGeometry {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  ticks: { value: number; y: number }[];
  bars: Bar[];
  max: number;
}

/** Round tick values from 0 to at least ``max``: steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(max: number, wanted = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = Math.max(1, max / wanted); // tickets are whole: no step below one
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const top = Math.ceil(max / step) * step;
  return Array.from({ length: top / step + 1 }, (_, i) => i * step);
}

/** Every hour from the first sale to the last, hours without a sale at zero. */
export function fillHours(points: HourPoint[]): HourPoint[] {
  if (!points.length) return [];
  const sorted = [...points].sort((a, b) => Date.parse(a.hour) - Date.parse(b.hour));
  const byHour = new Map(sorted.map((p) => [Date.parse(p.hour), p]));
  const first = Date.parse(sorted[0]?.hour ?? "");
  const last = Date.parse(sorted.at(-1)?.hour ?? "");
  const filled: HourPoint[] = [];
  // a long sale is shown by its last 14 days of hours at most
  const start = Math.max(first, last - 14 * 24 * 3_600_000);
  for (let t = start; t <= last; t += 3_600_000) {
    filled.push(byHour.get(t) ?? { hour: new Date(t).toISOString(), tickets: 0, gross: 0 });
  }
  return filled;
}

export function chartGeometry(points: HourPoint[], width = 640, height = 240): ChartGeometry {
  const plot = { left: 48, top: 12, right: width - 12, bottom: height - 36 };
  const hours = fillHours(points);
  const max = Math.max(0, ...hours.map((h) => h.tickets));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] ?? 1;
  const y = (v: number) => plot.bottom - (v / top) * (plot.bottom - plot.top);
  const slot = hours.length ? (plot.right - plot.left) / hours.length : 0;
  const barWidth = Math.min(Math.max(1, slot * 0.8), 48); // one hour of sales is a bar, not a wall
  return {
    width,
    height,
    plot,
    max,
    ticks: ticks.map((value) => ({ value, y: y(value) })),
    bars: hours.map((h, i) => ({
      ...h,
      x: plot.left + i * slot + (slot - barWidth) / 2,
      y: y(h.tickets),
      width: barWidth,
      height: plot.bottom - y(h.tickets),
    })),
  };
}
