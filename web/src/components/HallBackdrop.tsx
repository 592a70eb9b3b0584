/** What every drawing of a hall shows behind its seats: the stage, the section names and the
 * row labels (the customer's seat map and the console's preview). */
import type { Layout } from "../seatmap";

export function HallBackdrop({ drawn }: { drawn: Layout }) {
  return (
    <>
      <rect x="0" y="0" width={drawn.width} height="14" className="stage" rx="4" />
      <text x={drawn.width / 2} y="11" className="stage-label" textAnchor="middle">
        Stage
      </text>
      {drawn.sections.map((s) => (
        <text key={s.name} x={s.x} y={s.y} textAnchor="middle" className="section-label">
          {s.name}
        </text>
      ))}
      {drawn.rows.map((r) => (
        <text key={r.key} x={r.x} y={r.y + 4} textAnchor="middle" className="row-label" aria-hidden="true">
          {r.label}
        </text>
      ))}
    </>
  );
}
