/** Every refusal of the API in words a customer understands. */

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  available?: number;
  taken_seats?: string[];
  reason?: string;
  /** hold-not-active: ``pinned`` (an order is paying for it) or ``committed`` (sold). */
  hold_status?: string;
  [extra: string]: unknown;
}

/** The edge's own refusal of a burst from one address: no service saw the request. */
export const EDGE_BUSY = "https://docs.ticketing.example/problems/too-many-requests";
/** Another request with the same key is still placing the order: the same request again. */
export const ORDER_IN_PROGRESS = "https://docs.ticketing.example/problems/order-in-progress";
/** Inventory's seat store did not answer: nothing was held or changed. */
export const STOCK_UNAVAILABLE = "https://docs.ticketing.example/problems/stock-unavailable";

export class ApiRefusal extends Error {
  readonly problem: Problem;
  /** Seconds the answer's ``Retry-After`` asked for, when it gave one. */
  readonly retryAfterS: number | null;
  constructor(problem: Problem, retryAfterS: number | null = null) {
    super(problem.detail ?? problem.title);
    this.problem = problem;
    this.retryAfterS = retryAfterS;
  }
  get code(): string {
    return this.problem.type.split("/").pop() ?? "";
  }
}

const EXPIRED = "Your reservation has expired and the seats went back on sale.";
const HOLD_HAS_ORDER =
  "You already placed an order for these tickets: pay for it on its checkout page.";

const COUPON_REASONS: Record<string, string> = {
  unknown: "we do not know this coupon code",
  inactive: "this coupon is no longer active",
  not_yet_valid: "this coupon is not valid yet",
  expired: "this coupon has expired",
  used_up: "this coupon has been used up",
  used_up_for_email: "this coupon was already used with this e-mail address",
  wrong_currency: "this coupon is for another currency",
  not_applicable: "this coupon does not apply to these tickets",
};

/** ``seatName`` turns a seat id into "Stalls row B seat 4" for seat-taken refusals. */
export function explain(error: unknown, seatName: (id: string) => string = (id) => id): string {
  if (!(error instanceof ApiRefusal)) return "Something went wrong. Please try again.";
  const p = error.problem;
  switch (error.code) {
    case "not-enough-left":
      return p.available === 0
        ? "Sold out: there are no tickets left."
        : `Not enough tickets left: only ${p.available ?? "a few"} remain.`;
    case "seat-taken": {
      const seats = (p.taken_seats ?? []).map(seatName);
      return seats.length
        ? `Just taken by someone else: ${seats.join(", ")}. Please pick other seats.`
        : "A seat you chose was just taken. Please pick other seats.";
    }
    case "no-seats-available":
      return "There are not that many seats left in this performance.";
    case "over-max-per-order":
      return `That is more than one order may hold: ${p.detail ?? ""}.`;
    case "sales-closed":
      return "Sales for this performance are closed.";
    case "sales-not-open":
      return "Sales for this performance have not opened yet.";
    case "performance-past":
      return "This performance has already started.";
    case "performance-cancelled":
      return "This performance is cancelled.";
    case "hold-not-active":
      if (p.hold_status === "pinned") return HOLD_HAS_ORDER;
      if (p.hold_status === "committed") return "These tickets are sold: your order is paid.";
      return EXPIRED;
    case "hold-expired":
    case "hold-not-found":
      return EXPIRED;
    case "hold-has-order":
      return HOLD_HAS_ORDER;
    case "hold-already-extended":
      return "You already took the extra time once.";
    case "coupon-refused":
      return `Coupon not accepted: ${COUPON_REASONS[String(p.reason)] ?? p.detail ?? "refused"}.`;
    case "order-not-cancellable":
      return "This order can no longer be cancelled: it was paid, or it expired or was cancelled meanwhile.";
    case "order-not-found":
      return "We could not find this order. Check the link in your e-mail.";
    case "network":
      return "We could not reach the box office. Check your connection and try again.";
    case "order-in-progress":
      return "We are still placing your order. Press the button again in a moment: you will not be charged twice.";
    case "too-many-requests":
      return "Many people are buying right now. Please try again in a moment.";
    case "too-many-live-holds":
      return "You already have as many reservations for this performance as one visitor may (perhaps in another tab or window): finish or cancel one of them, or wait for them to expire.";
    default:
      if (p.status === 422) return checkTheForm(p);
      if (p.status >= 500) return "The box office is busy. Please try again in a moment.";
      return p.detail ? capitalise(p.detail) + "." : p.title;
  }
}

/** The fields a customer fills in, as the form names them (the server names them by path). */
const FIELDS: Record<string, string> = {
  email: "your e-mail address (like name@example.com)",
  name: "your name",
  coupon: "the coupon code",
};

/** A refused form in the customer's words: which of their fields to look at again, or the
 * server's detail for anything else. */
function checkTheForm(p: Problem): string {
  const errors = Array.isArray(p.errors) ? (p.errors as { location?: unknown }[]) : [];
  const named = errors
    .map((e) => FIELDS[String(e.location ?? "").split(".").pop() ?? ""])
    .filter((field): field is string => Boolean(field));
  if (named.length) return `Please check ${[...new Set(named)].join(" and ")}.`;
  return `Please check the form: ${(p.detail ?? p.title).replace(/\.+$/, "")}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
