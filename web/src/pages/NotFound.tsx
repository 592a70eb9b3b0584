import { FIND_TICKETS, Link } from "../router";
import { useTitle } from "../hooks";

export function NotFound({ what = "page" }: { what?: "page" | "order" }) {
  useTitle(what === "order" ? "Order not found" : "Page not found");
  return (
    <section className="panel" aria-labelledby="nf-title">
      <h1 id="nf-title">{what === "order" ? "Order not found" : "Page not found"}</h1>
      {what === "order" ? (
        <p>
          We could not find this order with this link. Open the link from your e-mail again: it
          carries the order's key after the <code>#</code>. Lost the e-mail?{" "}
          <Link href={FIND_TICKETS}>Get the links to your orders again</Link>.
        </p>
      ) : (
        <p>There is nothing at this address.</p>
      )}
      <p>
        <Link href="/">See what is on sale</Link>
      </p>
    </section>
  );
}
