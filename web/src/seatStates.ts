/** A seat map's states followed after its places were read once. */
import type { Seat } from "./api/client";

/** The seats with the states the server says now (``taken``: seat id -> held or sold; a seat it
 * does not name is available). A seat whose state did not change stays the same object, so the
 * map redraws only what changed. */
export function withStates(seats: Seat[], taken: Record<string, string>): Seat[] {
  return seats.map((seat) => {
    const state = taken[seat.seat_id] ?? "available";
    return state === seat.state ? seat : { ...seat, state };
  });
}
