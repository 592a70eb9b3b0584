import { useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { Seat } from "../api/client";
import { layout, nearest, readingOrder, seatName, type PlacedSeat } from "../seatmap";
import { HallBackdrop } from "./HallBackdrop";

interface Props {
  seats: Seat[];
  picked: string[];
  max: number;
  tierName: (tierId: string | null | undefined) => string;
  priceOf: (tierId: string | null | undefined) => string;
  onToggle: (seatId: string) => void;
}

const STATE_WORDS: Record<string, string> = {
  available: "available",
  held: "held by another customer",
  sold: "sold",
};

/** The seat map as SVG: one tab stop, arrow keys move between seats, Enter or Space picks.
 * The same seats are offered as a list of checkboxes below. */
export function SeatMap({ seats, picked, max, tierName, priceOf, onToggle }: Props) {
  const drawn = useMemo(() => layout(seats), [seats]);
  const [focused, setFocused] = useState<string | null>(null);
  const refs = useRef(new Map<string, SVGGElement>());
  const full = picked.length >= max;
  if (!seats.length) return <p>Loading the seat map…</p>;
  const current = focused ?? drawn.seats.find((s) => s.state === "available")?.seat_id;

  const label = (s: PlacedSeat) => {
    const chosen = picked.includes(s.seat_id);
    const state = chosen ? "chosen by you" : STATE_WORDS[s.state] ?? s.state;
    return `${seatName(s)}, ${tierName(s.tier_id)} ${priceOf(s.tier_id)}, ${state}${s.accessible ? ", wheelchair accessible" : ""}`;
  };
  const canToggle = (s: PlacedSeat) =>
    picked.includes(s.seat_id) || (s.state === "available" && !full);

  const onKey = (event: KeyboardEvent<SVGGElement>, seat: PlacedSeat) => {
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      const next = nearest(drawn.seats, seat, move);
      if (next) {
        setFocused(next.seat_id);
        refs.current.get(next.seat_id)?.focus();
      }
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (canToggle(seat)) onToggle(seat.seat_id);
    }
  };

  return (
    <div className="seatmap">
      <Legend />
      <div className="map-frame">
      <svg
        viewBox={`0 0 ${drawn.width} ${drawn.height}`}
        role="group"
        aria-labelledby="map-title"
        aria-describedby="map-help"
        className="map"
        // a small hall is drawn at about its natural size, not stretched across the page
        // and on a phone a big hall scrolls sideways inside its frame, seats kept big enough to tap
        style={{
          maxWidth: `${Math.max(drawn.width * 1.6, 320)}px`,
          minWidth: `${Math.min(drawn.width * 0.8, 720)}px`,
        }}
      >
        <HallBackdrop drawn={drawn} />
        {drawn.seats.map((s) => {
          const chosen = picked.includes(s.seat_id);
          const state = chosen ? "picked" : s.state;
          return (
            <g
              key={s.seat_id}
              ref={(el) => {
                if (el) refs.current.set(s.seat_id, el);
                else refs.current.delete(s.seat_id);
              }}
              role="checkbox"
              aria-checked={chosen}
              aria-disabled={!canToggle(s)}
              aria-label={label(s)}
              tabIndex={s.seat_id === current ? 0 : -1}
              className={`seat seat-${state}`}
              data-seat-id={s.seat_id}
              data-state={s.state}
              onClick={() => canToggle(s) && onToggle(s.seat_id)}
              onKeyDown={(e) => onKey(e, s)}
              onFocus={() => setFocused(s.seat_id)}
            >
              <title>{label(s)}</title>
              <circle cx={s.cx} cy={s.cy} r={drawn.radius} />
              {s.accessible && (
                <text x={s.cx} y={s.cy + 4} textAnchor="middle" className="seat-mark" aria-hidden="true">
                  ♿
                </text>
              )}
              {state === "sold" && (
                <path
                  d={`M${s.cx - 4} ${s.cy - 4}L${s.cx + 4} ${s.cy + 4}M${s.cx + 4} ${s.cy - 4}L${s.cx - 4} ${s.cy + 4}`}
                  className="seat-cross"
                  aria-hidden="true"
                />
              )}
            </g>
          );
        })}
      </svg>
      </div>
      <p id="map-help" className="muted">
        Use the arrow keys to move between seats and Enter or Space to choose one. Up to {max} per
        order.
      </p>
      <details className="seat-list">
        <summary>Choose from a list of seats instead</summary>
        <SeatList seats={seats} picked={picked} full={full} label={label as (s: Seat) => string} onToggle={onToggle} />
      </details>
    </div>
  );
}

function SeatList({
  seats,
  picked,
  full,
  label,
  onToggle,
}: {
  seats: Seat[];
  picked: string[];
  full: boolean;
  label: (s: Seat) => string;
  onToggle: (id: string) => void;
}) {
  const open = readingOrder(seats.filter((s) => s.state === "available" || picked.includes(s.seat_id)));
  return (
    <fieldset>
      <legend>Available seats</legend>
      <ul>
        {open.map((s) => {
          const chosen = picked.includes(s.seat_id);
          return (
            <li key={s.seat_id}>
              <label>
                <input
                  type="checkbox"
                  checked={chosen}
                  disabled={!chosen && full}
                  onChange={() => onToggle(s.seat_id)}
                />{" "}
                {label(s)}
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

function Legend() {
  return (
    <ul className="legend" aria-label="Legend">
      <li>
        <span className="dot seat-available" aria-hidden="true" /> available
      </li>
      <li>
        <span className="dot seat-picked" aria-hidden="true" /> your choice
      </li>
      <li>
        <span className="dot seat-held" aria-hidden="true" /> held
      </li>
      <li>
        <span className="dot seat-sold" aria-hidden="true" /> sold
      </li>
      <li>
        <span aria-hidden="true">♿</span> wheelchair accessible
      </li>
    </ul>
  );
}
