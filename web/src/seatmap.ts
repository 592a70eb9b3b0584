/** The seat map's geometry: seat coordinates (any unit) scaled into an SVG view box. */
import type { Seat } from "./api/client";

export interface PlacedSeat extends Seat {
  cx: number;
  cy: number;
}

export interface RowLabel {
  key: string;
  label: string;
  x: number;
  y: number;
}

export interface SectionLabel {
  name: string;
  x: number;
  y: number;
}

export interface Layout {
  width: number;
  height: number;
  radius: number;
  seats: PlacedSeat[];
  rows: RowLabel[];
  sections: SectionLabel[];
}

const SPACING = 28; // view-box units between the two closest seats
const MARGIN = 40;

export function layout(seats: Seat[]): Layout {
  if (seats.length === 0) return { width: 0, height: 0, radius: 0, seats: [], rows: [], sections: [] };
  const unit = closestDistance(seats);
  const scale = SPACING / unit;
  const minX = Math.min(...seats.map((s) => s.x));
  const minY = Math.min(...seats.map((s) => s.y));
  const placed = seats.map((s) => ({
    ...s,
    cx: MARGIN + (s.x - minX) * scale,
    cy: MARGIN + 16 + (s.y - minY) * scale,
  }));
  const width = Math.max(...placed.map((s) => s.cx)) + MARGIN;
  const height = Math.max(...placed.map((s) => s.cy)) + MARGIN;
  return {
    width,
    height,
    radius: SPACING * 0.38,
    seats: placed,
    rows: rowLabels(placed),
    sections: sectionLabels(placed),
  };
}

function closestDistance(seats: Seat[]): number {
  let best = Infinity;
  const sample = seats.slice(0, 400);
  sample.forEach((a, i) => {
    for (const b of sample.slice(i + 1)) {
      const d = Math.hypot(a.x - b.x, a.y - b.y);
      if (d > 0 && d < best) best = d;
    }
  });
  return Number.isFinite(best) ? best : 1;
}

function groups<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const found = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    found.set(k, [...(found.get(k) ?? []), item]);
  }
  return found;
}

function rowLabels(seats: PlacedSeat[]): RowLabel[] {
  return [...groups(seats, (s) => `${s.section}\u0000${s.row}`)].map(([key, row]) => {
    const first = row.reduce((a, b) => (a.cx <= b.cx ? a : b));
    return { key, label: first.row, x: first.cx - SPACING * 0.8, y: first.cy };
  });
}

function sectionLabels(seats: PlacedSeat[]): SectionLabel[] {
  return [...groups(seats, (s) => s.section)].map(([name, section]) => ({
    name,
    x: (Math.min(...section.map((s) => s.cx)) + Math.max(...section.map((s) => s.cx))) / 2,
    y: Math.min(...section.map((s) => s.cy)) - SPACING * 0.9,
  }));
}

export function seatName(seat: Pick<Seat, "section" | "row" | "number">): string {
  return `${seat.section}, row ${seat.row}, seat ${seat.number}`;
}

/** Seats in reading order: section, row, number (the list alternative and keyboard order). */
export function readingOrder<T extends Pick<Seat, "section" | "row" | "number">>(seats: T[]): T[] {
  return [...seats].sort(
    (a, b) =>
      a.section.localeCompare(b.section) ||
      a.row.localeCompare(b.row, undefined, { numeric: true }) ||
      a.number - b.number,
  );
}

/** The closest seat from ``from`` in direction ``[dx, dy]`` (arrow-key navigation). */
export function nearest(
  seats: PlacedSeat[],
  from: PlacedSeat,
  [dx, dy]: [number, number],
): PlacedSeat | null {
  let best: PlacedSeat | null = null;
  let bestScore = Infinity;
  for (const s of seats) {
    const ox = s.cx - from.cx;
    const oy = s.cy - from.cy;
    const along = ox * dx + oy * dy;
    if (along <= 0.5) continue;
    const across = Math.abs(ox * dy - oy * dx);
    const score = along + across * 3;
    if (score < bestScore) {
      bestScore = score;
      best = s;
    }
  }
  return best;
}
