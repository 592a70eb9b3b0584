import { describe, expect, it } from "vitest";
import { ApiRefusal } from "../api/problems";
import { DeskSale, deskTotal, emailProblem, fieldsRefused, methodName, refusedForGood, takenSeats } from "./desk";

const tiers = [
  { tier_id: "front", price: { amount: 4000, currency: "EUR" } },
  { tier_id: "back", price: { amount: 2500, currency: "EUR" } },
];
const seats = [
  { seat_id: "s1", tier_id: "front" },
  { seat_id: "s2", tier_id: "back" },
];

describe("deskTotal", () => {
  it("adds the chosen seats' and quantities' prices", () => {
    expect(deskTotal(tiers, seats, ["s1", "s2"], {}, "cash")).toBe(deskTotal(tiers, [], [], { front: 1, back: 1 }, "cash"));
    expect(deskTotal(tiers, seats, ["s1", "s2"], {}, "card_terminal")).toContain("65.00");
  });
  it("charges nothing for complimentary tickets", () => {
    expect(deskTotal(tiers, seats, ["s1"], {}, "complimentary")).toContain("0.00");
  });
});

const refusal = (status: number, code: string) =>
  new ApiRefusal({ type: `https://docs.ticketing.example/problems/${code}`, title: code, status });

describe("a sale at the desk across retries", () => {
  const choice = { performance_id: "p", tiers: [{ tier_id: "floor", quantity: 2 }] };
  const body = { hold_id: "hld_1", customer: { name: "Ada", email: null }, payment_method: "cash" };

  it("re-sends the same hold and key after a lost answer, so nothing sells twice", () => {
    let n = 0;
    const sale = new DeskSale(() => `key-${++n}`);
    expect(sale.keptHold(choice)).toBeNull();
    sale.held(choice, "hld_1");
    const first = sale.orderRequest(body);
    // the answer was lost: the clerk presses Sell again with the same tickets
    expect(sale.keptHold({ ...choice })).toBe("hld_1");
    expect(sale.orderRequest({ ...body })).toEqual(first);
    expect(sale.staleHold(choice)).toBeNull();
  });
  it("asks for the hold again with its key after a lost answer, a new key once held", () => {
    let n = 0;
    const sale = new DeskSale(() => `key-${++n}`);
    const first = sale.holdKey(choice);
    expect(sale.holdKey({ ...choice })).toBe(first); // no answer: the same request again
    sale.held(choice, "hld_1");
    expect(sale.holdKey(choice)).not.toBe(first);
  });
  it("re-sends the first request as it was after the clerk edits the form (it may have sold)", () => {
    const sale = new DeskSale(() => "key-1");
    sale.held(choice, "hld_1");
    const first = sale.orderRequest(body);
    const edited = { ...body, customer: { name: "Ada Lovelace", email: "ada@example.com" }, payment_method: "card_terminal" };
    // a new key would be a second order of the same hold: refused, and the sale lost from sight
    expect(sale.orderRequest(edited)).toEqual({ body, key: first.key });
    sale.finished();
    expect(sale.orderRequest(edited).body).toEqual(edited);
  });
  it("starts afresh for other tickets, once sold, or for the next customer", () => {
    let n = 0;
    const sale = new DeskSale(() => `key-${++n}`);
    sale.held(choice, "hld_1");
    const first = sale.orderRequest(body);
    const other = { ...choice, tiers: [{ tier_id: "floor", quantity: 3 }] };
    expect(sale.keptHold(other)).toBeNull();
    expect(sale.staleHold(other)).toBe("hld_1");
    sale.finished();
    expect(sale.keptHold(choice)).toBeNull();
    expect(sale.orderRequest(body).key).not.toBe(first.key);
  });
  it("names the unanswered order of the kept hold, to finish before another sale", () => {
    const sale = new DeskSale(() => "key-1");
    sale.held(choice, "hld_1");
    expect(sale.unansweredOrder()).toBeNull(); // nothing asked yet: nothing can have sold
    const sent = sale.orderRequest(body);
    const other = { ...choice, tiers: [{ tier_id: "floor", quantity: 3 }] };
    expect(sale.staleHold(other)).toBe("hld_1");
    expect(sale.unansweredOrder()).toEqual(sent); // asked again as it was, before anything else
    sale.finished();
    expect(sale.unansweredOrder()).toBeNull();
  });
  it("keeps the hold when only the order's fields were refused, and sends them anew", () => {
    let n = 0;
    const sale = new DeskSale(() => `key-${++n}`);
    sale.held(choice, "hld_1");
    const typo = sale.orderRequest({ ...body, customer: { name: "Ada", email: "ada@gmail" } });
    expect(fieldsRefused(refusal(422, "validation-error"))).toBe(true);
    sale.fieldsRefused();
    expect(sale.keptHold(choice)).toBe("hld_1"); // the seats are still the customer's
    const fixed = sale.orderRequest(body);
    expect(fixed.body).toEqual(body);
    expect(fixed.key).not.toBe(typo.key);
    expect(fieldsRefused(refusal(409, "hold-expired"))).toBe(false);
    expect(fieldsRefused(new Error("offline"))).toBe(false);
  });
  it("names the hold asked for other tickets whose answer never came, to give it back", () => {
    let n = 0;
    const sale = new DeskSale(() => `key-${++n}`);
    const key = sale.holdKey(choice); // sent; the answer is lost
    const other = { ...choice, tiers: [{ tier_id: "floor", quantity: 3 }] };
    expect(sale.unansweredHold(choice)).toBeNull(); // the same tickets: simply asked again
    expect(sale.unansweredHold(other)).toEqual({ body: choice, key });
    sale.holdSettled();
    expect(sale.unansweredHold(other)).toBeNull();
    expect(sale.holdKey(choice)).not.toBe(key);
    sale.held(choice, "hld_1");
    expect(sale.unansweredHold(other)).toBeNull(); // answered: it is the kept hold
  });
  it("knows a refusal for good from an answer that may have sold", () => {
    expect(refusedForGood(refusal(422, "validation-error"))).toBe(true);
    expect(refusedForGood(refusal(409, "hold-expired"))).toBe(true);
    expect(refusedForGood(refusal(409, "order-in-progress"))).toBe(false);
    expect(refusedForGood(refusal(429, "too-many-requests"))).toBe(false);
    expect(refusedForGood(refusal(504, "upstream-timeout"))).toBe(false);
    expect(refusedForGood(refusal(0, "network"))).toBe(false);
    expect(refusedForGood(new Error("offline"))).toBe(false);
  });
});

describe("takenSeats", () => {
  it("names the seats a refusal says were taken, and nothing else", () => {
    const taken = new ApiRefusal({
      type: "https://docs.ticketing.example/problems/seat-taken",
      title: "seat-taken",
      status: 409,
      taken_seats: ["st_A3", "st_A4"],
    } as never);
    expect(takenSeats(taken)).toEqual(["st_A3", "st_A4"]);
    expect(takenSeats(refusal(409, "hold-expired"))).toEqual([]);
    expect(takenSeats(new Error("offline"))).toEqual([]);
  });
});

describe("methodName", () => {
  it("names a payment method as the desk does", () => {
    expect(methodName("card_terminal")).toBe("Card terminal");
    expect(methodName("cash")).toBe("Cash");
    expect(methodName("voucher_book")).toBe("voucher book");
  });
});

describe("emailProblem", () => {
  it("says what the server would refuse before the sale is asked for", () => {
    expect(emailProblem("")).toBeNull();
    expect(emailProblem("  ")).toBeNull();
    expect(emailProblem("ada@example.com")).toBeNull();
    expect(emailProblem(" ada.l+tix@mail.example.co.uk ")).toBeNull();
    expect(emailProblem("ada@gmail")).toContain("full domain");
    expect(emailProblem("ada@gmail.c")).toContain("full domain");
    expect(emailProblem("josé@example.com")).toContain("before the @");
    expect(emailProblem("ada")).toContain("not an e-mail address");
    expect(emailProblem("@example.com")).toContain("not an e-mail address");
    expect(emailProblem("ada@")).toContain("not an e-mail address");
  });
});

