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

/** What a choice of seats leaves behind, in words (advice only: the customer may keep it): a
 * free seat it strands alone between taken ones or at a row's end (a single seat rarely sells,
 * so the hall plays to a gap), and chosen seats that are not side by side. */
export function seatingAdvice(seats: Seat[], picked: readonly string[]): string[] {
  if (picked.length === 0) return [];
  const chosen = new Set(picked);
  const taken = (s: Seat | undefined) => !s || s.state !== "available" || chosen.has(s.seat_id);
  const stranded: Seat[] = [];
  let clusters = 0;
  for (const block of sideBySide(layout(seats).seats)) {
    block.forEach((seat, i) => {
      const [left, right] = [block[i - 1], block[i + 1]];
      if (chosen.has(seat.seat_id) && !chosen.has(left?.seat_id ?? "")) clusters += 1;
      const besideChosen = chosen.has(left?.seat_id ?? "") || chosen.has(right?.seat_id ?? "");
      if (!taken(seat) && taken(left) && taken(right) && besideChosen) stranded.push(seat);
    });
  }
  const advice: string[] = [];
  if (stranded.length > 0) {
    const names = readingOrder(stranded).map(seatName).join("; ");
    advice.push(
      stranded.length === 1
        ? `Your choice leaves ${names} on its own, and a single seat is rarely sold: ` +
            "could you move over by one?"
        : `Your choice leaves ${names} each on its own, and single seats are rarely sold: ` +
            "could you choose seats side by side?",
    );
  }
  if (clusters > 1) advice.push(`Your seats are not all next to each other (${clusters} groups).`);
  return advice;
}

/** Each row's seats in runs that sit side by side (an aisle or a gap ends a run), left to right. */
function sideBySide(seats: PlacedSeat[]): PlacedSeat[][] {
  const blocks: PlacedSeat[][] = [];
  for (const row of groups(seats, (s) => `${s.section}\u0000${s.row}`).values()) {
    let block: PlacedSeat[] = [];
    for (const seat of [...row].sort((a, b) => a.cx - b.cx)) {
      const last = block[block.length - 1];
      if (last && seat.cx - last.cx > SPACING * 1.5) {
        blocks.push(block);
        block = [];
      }
      block.push(seat);
    }
    blocks.push(block);
  }
  return blocks;
}
