import type { Order, Performance } from "../api/client";
import { localDateTime, money } from "../format";

interface Props {
  order: Order;
  seats: Map<string, string>;
  show: Performance | null;
}

export function OrderSummary({ order, seats, show }: Props) {
  return (
    <section aria-labelledby="summary-title" className="panel">
      <h2 id="summary-title">Order {order.order_number}</h2>
      <p className="when">{order.event_name}</p>
      {show && (
        <p>
          {localDateTime(show.starts_at, show.time_zone)}
          <br />
          <span className="where">
            {show.venue_name
              ? `${show.venue_name}${show.venue_address ? `, ${show.venue_address}` : ""}`
              : "General admission"}
          </span>
        </p>
      )}
      <table className="summary">
        <caption className="visually-hidden">What you are buying</caption>
        <thead>
          <tr>
            <th scope="col">Tickets</th>
            <th scope="col" className="num">
              Price
            </th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line) => (
            <tr key={line.tier_id}>
              <td>
                {line.quantity} × {line.tier_name}
                {line.seat_ids.length > 0 && (
                  <ul className="seats">
                    {line.seat_ids.map((id) => (
                      <li key={id}>{seats.get(id) ?? id}</li>
                    ))}
                  </ul>
                )}
              </td>
              <td className="num">
                {money(line.unit_price.amount * line.quantity, line.unit_price.currency)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {order.subtotal && order.discount && (
            <>
              <tr>
                <th scope="row">Subtotal</th>
                <td className="num">{money(order.subtotal.amount, order.subtotal.currency)}</td>
              </tr>
              <tr className="discount">
                <th scope="row">Discount ({order.coupon})</th>
                <td className="num">−{money(order.discount.amount, order.discount.currency)}</td>
              </tr>
            </>
          )}
          {order.total && (
            <tr className="total">
              <th scope="row">Total</th>
              <td className="num">{money(order.total.amount, order.total.currency)}</td>
            </tr>
          )}
        </tfoot>
      </table>
      <p className="muted">
        For {order.customer.name} ({order.customer.email})
      </p>
    </section>
  );
}
