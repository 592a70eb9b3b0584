import type { Order } from "./api/client";

export interface Story {
  title: string;
  text: string;
  tone: "notice" | "error" | "success";
  payAgain: boolean;
}

/** What the order page says about an order, late cases included, in words. */
export function orderStory(order: Order): Story {
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
        text: "The time to pay ran out before a payment arrived, so the order expired and nothing was charged. The tickets went back on sale.",
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
          text: `The payment did not go through${order.payment.last_error ? `: ${order.payment.last_error}` : ""}. You can try again from the payment page before it expires.`,
          tone: "error",
          payAgain: false,
        };
      return { title: "Waiting for your payment", text: "Confirming your payment… this page updates by itself.", tone: "notice", payAgain: false };
  }
}
