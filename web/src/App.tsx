import { lazy, Suspense, useEffect, useRef } from "react";
import { FIND_TICKETS, Link, useRoute } from "./router";
import { Browse } from "./pages/Browse";
import { PerformancePage } from "./pages/PerformancePage";
import { CheckoutPage } from "./pages/CheckoutPage";
import { OrderPage } from "./pages/OrderPage";
import { NotFound } from "./pages/NotFound";
import { FindTicketsPage } from "./pages/FindTicketsPage";
import { StaffApp } from "./console/StaffApp";
import { LoadFailure } from "./components/LoadFailure";
// the door scanner loads its own code (QR decoder, Ed25519) only when opened
const ScannerApp = lazy(() => import("./scanner/ScannerApp"));

export function App() {
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const key = JSON.stringify(route);
  useEffect(() => {
    // a new page: move focus to its content, as a full page load would
    main.current?.focus();
  }, [key]);
  if (route.page === "scanner") {
    return (
      <LoadFailure what="scanner">
        <Suspense fallback={<p role="status">Opening the scanner…</p>}>
          <ScannerApp />
        </Suspense>
      </LoadFailure>
    );
  }
  const staff = route.page === "staff";
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="site">
        <Link href="/" className="brand">
          Tickets
        </Link>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {route.page === "browse" && <Browse />}
        {route.page === "performance" && <PerformancePage performanceId={route.performanceId} />}
        {route.page === "checkout" && <CheckoutPage key={route.orderId} orderId={route.orderId} token={route.token} />}
        {route.page === "order" && <OrderPage orderId={route.orderId} token={route.token} />}
        {route.page === "find-tickets" && <FindTicketsPage />}
        {route.page === "staff" && <StaffApp area={route.area} rest={route.rest} />}
        {route.page === "not-found" && <NotFound />}
      </main>
      {!staff && (
        <footer className="site">
          <p>
            Questions about an order? Reply to its e-mail. Lost it?{" "}
            <Link href={FIND_TICKETS}>Find my tickets</Link>
          </p>
        </footer>
      )}
    </>
  );
}
