import { api, call, type Order, type Performance } from "./client";

export async function readOrder(orderId: string, token: string): Promise<Order> {
  return call(() =>
    api.GET("/v1/orders/{order_id}", {
      params: { path: { order_id: orderId } },
      headers: { "X-Order-Token": token },
    }),
  );
}

/** Give an unpaid order up: its tickets go back on sale and nothing is charged. */
export async function cancelOrder(orderId: string, token: string): Promise<Order> {
  return call(() =>
    api.POST("/v1/orders/{order_id}/cancel", {
      params: { path: { order_id: orderId } },
      headers: { "X-Order-Token": token },
    }),
  );
}

/** Ask for an e-mail with a link to each order of ``email``; the answer never says whether
 * the address has any (only its inbox learns that). */
export async function requestOrderLinks(email: string): Promise<string> {
  const answer = await call(() => api.POST("/v1/order-links", { body: { email } }));
  return answer.detail;
}

/** Seat labels of an order's seats, from the performance's public seat map. */
export async function seatLabels(order: Order): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const performanceId = order.performance_id;
  if (!performanceId || !order.lines.some((l) => l.seat_ids.length)) return labels;
  const map = await call(() =>
    api.GET("/v1/performances/{performance_id}/seats", {
      params: { path: { performance_id: performanceId } },
    }),
  );
  for (const s of map.seats) labels.set(s.seat_id, `${s.section}, row ${s.row}, seat ${s.number}`);
  return labels;
}

/** The performance an order is for (date, venue, time zone), from the public catalogue. */
export async function performanceOf(order: Order): Promise<Performance | null> {
  const performanceId = order.performance_id;
  if (!performanceId) return null;
  return call(() =>
    api.GET("/v1/performances/{performance_id}", {
      params: { path: { performance_id: performanceId } },
    }),
  );
}
