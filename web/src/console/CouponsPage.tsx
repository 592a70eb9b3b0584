/** Coupons: list a page at a time, create (percent or fixed amount), switch off, delete. */
import { useState, type FormEvent } from "react";
import { api, call, type Schemas } from "../api/client";
import { counted, money } from "../format";
import { useTitle } from "../hooks";
import { amountExample, parseAmount } from "./refund";
import { ConfirmButton, CursorPager, Field, instant, Outcome, ProblemMessage, useAction, useCursors, useLoad, useStaff, when } from "./ui";

type Coupon = Schemas["CouponOut"];

export function CouponsPage() {
  useTitle("Coupons");
  const { headers } = useStaff();
  const cursors = useCursors();
  const start = cursors.start;
  const page = useLoad(
    () => call(() => api.GET("/v1/coupons", { headers, params: { query: { limit: 20, ...(start ? { starting_after: start } : {}) } } })),
    start ?? "",
  );
  const action = useAction();
  const change = (c: Coupon, active: boolean) =>
    action.run(async () => {
      await call(() => api.PATCH("/v1/coupons/{coupon_id}", { headers, params: { path: { coupon_id: c.coupon_id } }, body: { active } }));
      page.reload();
      return `${c.code} is ${active ? "active" : "switched off"}.`;
    });
  const remove = (c: Coupon) =>
    action.run(async () => {
      await call(() => api.DELETE("/v1/coupons/{coupon_id}", { headers, params: { path: { coupon_id: c.coupon_id } } }));
      page.reload();
      return `${c.code} deleted.`;
    });
  return (
    <section>
      <h1>Coupons</h1>
      <ProblemMessage error={page.error} />
      <Outcome error={action.error} done={action.done} />
      <table className="data">
        <caption>Coupons, page {cursors.page}</caption>
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col">Discount</th>
            <th scope="col">Uses</th>
            <th scope="col">Valid</th>
            <th scope="col">Active</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(page.data?.data ?? []).map((c) => (
            <tr key={c.coupon_id}>
              <td>{c.code}</td>
              <td>
                {c.kind === "percent" ? `${c.percent_off ?? 0} %` : money(c.amount_off ?? 0, c.currency ?? "EUR")}
                {c.tier_ids.length > 0 && ` (${counted(c.tier_ids.length, "tier")} only)`}
              </td>
              <td>
                {c.uses}
                {c.max_uses !== null ? ` of ${c.max_uses}` : ""}
              </td>
              <td>
                {when(c.valid_from)} – {when(c.valid_to)}
              </td>
              <td>{c.active ? "yes" : "no"}</td>
              <td className="actions">
                <button type="button" className="secondary" onClick={() => void change(c, !c.active)}>
                  {c.active ? `Switch off ${c.code}` : `Switch on ${c.code}`}
                </button>
                <ConfirmButton label={`Delete ${c.code}`} question="Delete this coupon?" confirm="Yes, delete" onConfirm={() => void remove(c)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <CursorPager cursors={cursors} hasMore={page.data?.has_more} last={page.data?.data.at(-1)?.coupon_id} />
      <NewCoupon onCreated={page.reload} />
    </section>
  );
}

function NewCoupon({ onCreated }: { onCreated: () => void }) {
  const { headers } = useStaff();
  const [code, setCode] = useState("");
  const [kind, setKind] = useState<"percent" | "fixed">("percent");
  const [percent, setPercent] = useState(10);
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState("EUR");
  const [maxUses, setMaxUses] = useState("");
  const [validTo, setValidTo] = useState("");
  const action = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      const off = parseAmount(amount, currency);
      if (kind === "fixed" && !off)
        throw new Error(`Enter the amount off like ${amountExample(currency)}.`);
      await call(() =>
        api.POST("/v1/coupons", {
          headers,
          body: {
            code,
            kind,
            active: true,
            ...(kind === "percent" ? { percent_off: percent } : { amount_off: off, currency }),
            max_uses: maxUses ? Number(maxUses) : null,
            valid_to: validTo ? instant(validTo) : null,
          },
        }),
      );
      setCode("");
      onCreated();
      return `Coupon ${code} created.`;
    });
  };
  return (
    <form onSubmit={submit} className="panel" aria-labelledby="new-coupon">
      <h2 id="new-coupon">New coupon</h2>
      <Field label="Code">
        <input value={code} onChange={(e) => setCode(e.target.value.toUpperCase())} required maxLength={64} />
      </Field>
      <Field label="Kind">
        <select value={kind} onChange={(e) => setKind(e.target.value as "percent" | "fixed")}>
          <option value="percent">Percent off</option>
          <option value="fixed">Fixed amount off</option>
        </select>
      </Field>
      {kind === "percent" ? (
        <Field label="Percent off">
          <input type="number" min={1} max={100} value={percent} onChange={(e) => setPercent(Number(e.target.value))} />
        </Field>
      ) : (
        <>
          <Field label="Amount off">
            <input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" />
          </Field>
          <Field label="Currency">
            <input value={currency} onChange={(e) => setCurrency(e.target.value.toUpperCase())} maxLength={3} />
          </Field>
        </>
      )}
      <Field label="Most uses (optional)">
        <input type="number" min={1} value={maxUses} onChange={(e) => setMaxUses(e.target.value)} />
      </Field>
      <Field label="Valid until (optional)">
        <input type="datetime-local" value={validTo} onChange={(e) => setValidTo(e.target.value)} />
      </Field>
      <button type="submit" disabled={action.busy}>
        Create coupon
      </button>
      <Outcome error={action.error} done={action.done} />
    </form>
  );
}
