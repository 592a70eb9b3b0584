import type { Order } from "./api/client";
import { clause } from "./format";

export interface Story {
  title: string;
  text: string;
  tone: "notice" | "error" | "success";
  payAgain: boolean;
}

/** How long after its deadline the order page keeps following an expired or cancelled order: a
 * payment made in the last seconds is heard later (it then pays the order, or is refunded). */
export const LATE_PAYMENT_MS = 15 * 60 * 1000;

/** Every how many milliseconds the order page asks again, or ``null``: nothing more can happen
 * to the order that the customer waits for. */
export function followEvery(order: Order, now: number = Date.now()): number | null {
  if (order.status === "pending_payment" || order.status === "placing") return 1500;
  if (order.status === "paid" && order.tickets.length === 0) return 1500; // tickets on their way
  if (order.refunds.some((r) => r.status === "pending")) return 5000;
  if (order.status === "expired" || order.status === "cancelled") {
    const deadline = order.payment_deadline ? Date.parse(order.payment_deadline) : NaN;
    return now < deadline + LATE_PAYMENT_MS ? 10_000 : null;
  }
  return null;
}

/** What a refund's status means to the customer. */
export function refundState(status: string): string {
  if (status === "succeeded") return "refunded to your card";
  if (status === "pending") return "on its way back to your card";
  return "not gone through yet: we are looking into it";
}

/** What the order page says about an order, late cases included, in words (``following``: the
 * page still follows it, so a payment made in the last seconds would still show). */
export function orderStory(order: Order, following = false): Story {
  const refundedFor = (cause: Order["refunds"][number]["cause"]) =>
    order.refunds.some((r) => r.cause === cause);
  switch (order.status) {
    case "paid":
      if (order.tickets.length === 0)
        return { title: "Payment received", text: "Issuing your tickets…", tone: "notice", payAgain: false };
      return {
        title: "Your tickets",
        text: `Thank you, ${order.customer.name}: your order is paid. We e-mailed your tickets to ${order.customer.email}.`,
        tone: "success",
        payAgain: false,
      };
    case "refunded":
      if (refundedFor("performance_cancelled"))
        return {
          title: "Performance cancelled",
          text: `${order.event_name ?? "This performance"} was cancelled, so we refunded your order in full, automatically. Its tickets are no longer valid.`,
          tone: "notice",
          payAgain: false,
        };
      if (refundedFor("late_payment"))
        return {
          title: "Payment refunded",
          text: "Your payment arrived after your reservation had expired and the seats were no longer available, so we refunded it in full. No tickets were issued.",
          tone: "error",
          payAgain: true,
        };
      return { title: "Order refunded", text: "This order was refunded; its tickets are no longer valid.", tone: "notice", payAgain: false };
    case "partially_refunded":
      return { title: "Your tickets", text: "Part of this order was refunded; the remaining tickets are below.", tone: "notice", payAgain: false };
    case "expired":
      return {
        title: "Order expired",
        text: following
          ? "The time to pay ran out before a payment arrived, so the order expired and the tickets went back on sale. If you paid in the last moments, this page shows it by itself as soon as we hear of it; otherwise nothing was charged."
          : "The time to pay ran out before a payment arrived, so the order expired and nothing was charged. The tickets went back on sale.",
        tone: "error",
        payAgain: true,
      };
    case "cancelled":
      if (refundedFor("unwanted_payment"))
        return {
          title: "Order cancelled",
          text: "This order was cancelled before your payment arrived, so we refunded the payment in full, automatically. No tickets were issued.",
          tone: "error",
          payAgain: true,
        };
      return { title: "Order cancelled", text: "This order was cancelled; nothing was charged.", tone: "error", payAgain: true };
    default:
      if (order.payment.status === "failed")
        return {
          title: "Payment failed",
          text: `The payment did not go through${order.payment.last_error ? `: ${clause(order.payment.last_error)}` : ""}. Nothing was charged: you can pay again until the time to pay runs out.`,
          tone: "error",
          payAgain: false,
        };
      return { title: "Waiting for your payment", text: "Confirming your payment… this page updates by itself.", tone: "notice", payAgain: false };
  }
}
