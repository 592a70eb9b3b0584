/** Tickets sold per hour for one performance, as an SVG bar chart with a table behind it
 * (screen readers read the table; the chart is its picture). */
import { useMemo } from "react";
import { chartGeometry, type HourPoint } from "./chart";
import { counted } from "../format";

const hourLabel = (iso: string) =>
  new Date(iso).toLocaleString("en-GB", { day: "2-digit", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

export function SalesChart({ points, title }: { points: HourPoint[]; title: string }) {
  const g = useMemo(() => chartGeometry(points), [points]);
  const total = points.reduce((n, p) => n + p.tickets, 0);
  if (!points.length) return <p className="muted">No sales yet for {title}.</p>;
  const labelEvery = Math.max(1, Math.ceil(g.bars.length / 8));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${g.width} ${g.height}`} role="img" aria-label={`${title}: ${counted(total, "ticket")} sold over ${counted(g.bars.length, "hour")}, at most ${g.max} in one hour`}>
        {g.ticks.map((t) => (
          <g key={t.value}>
            <line x1={g.plot.left} x2={g.plot.right} y1={t.y} y2={t.y} className="grid" />
            <text x={g.plot.left - 6} y={t.y + 4} textAnchor="end" className="axis-label">
              {t.value}
            </text>
          </g>
        ))}
        {g.bars.map((b, i) => (
          <g key={b.hour}>
            <rect x={b.x} y={b.y} width={b.width} height={b.height} className="bar">
              <title>{`${hourLabel(b.hour)} UTC: ${counted(b.tickets, "ticket")}`}</title>
            </rect>
            {i % labelEvery === 0 && (
              <text x={b.x + b.width / 2} y={g.plot.bottom + 16} textAnchor="middle" className="axis-label">
                {hourLabel(b.hour).slice(-5)}
              </text>
            )}
          </g>
        ))}
        <line x1={g.plot.left} x2={g.plot.right} y1={g.plot.bottom} y2={g.plot.bottom} className="axis" />
        <text x={g.plot.left} y={g.height - 4} className="axis-label">
          Tickets per hour (UTC)
        </text>
      </svg>
      <figcaption>
        <details>
          <summary>Sales per hour as a table</summary>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Hour (UTC)</th>
                <th scope="col">Tickets</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.hour}>
                  <td>{hourLabel(p.hour)}</td>
                  <td>{p.tickets}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}
