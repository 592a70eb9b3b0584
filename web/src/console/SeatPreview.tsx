/** A read-only drawing of a venue's seats (from a CSV being imported or the stored seats). */
import { useMemo } from "react";
import type { Seat } from "../api/client";
import { HallBackdrop } from "../components/HallBackdrop";
import { counted } from "../format";
import { layout } from "../seatmap";
import type { CsvSeat } from "./csv";

/** A seat as the CSV states it, and its sale state where the venue's stored seats have one. */
export interface PreviewSeat extends CsvSeat {
  state?: string;
}

export function SeatPreview({ seats, title }: { seats: PreviewSeat[]; title: string }) {
  const drawn = useMemo(
    () =>
      layout(
        seats.map(
          (s, i): Seat => ({
            seat_id: `preview-${i}`,
            section: s.section,
            row: s.row,
            number: s.number,
            x: s.x,
            y: s.y,
            accessible: s.accessible,
            tier_id: null,
            state: s.state ?? "available",
          }),
        ),
      ),
    [seats],
  );
  if (!seats.length) return <p className="muted">No seats yet.</p>;
  const accessible = seats.filter((s) => s.accessible).length;
  return (
    <figure className="seatmap preview">
      <svg
        viewBox={`0 0 ${drawn.width} ${drawn.height}`}
        role="img"
        aria-label={`${title}: ${counted(seats.length, "seat")} in ${counted(drawn.sections.length, "section")}, ${counted(accessible, "wheelchair place")}`}
        className="map"
        style={{ maxWidth: `${Math.max(drawn.width * 1.2, 320)}px` }}
      >
        <HallBackdrop drawn={drawn} />
        {drawn.seats.map((s) => (
          <circle
            key={s.seat_id}
            cx={s.cx}
            cy={s.cy}
            r={drawn.radius}
            className={`preview-seat seat-${s.state}${s.accessible ? " accessible" : ""}`}
          />
        ))}
      </svg>
      <figcaption className="muted">
        {title}: {counted(seats.length, "seat")}, {drawn.sections.map((s) => s.name).join(", ")}
        {accessible ? `; ${accessible} wheelchair places (ringed)` : ""}
      </figcaption>
    </figure>
  );
}
