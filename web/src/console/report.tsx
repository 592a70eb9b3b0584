/** Any JSON report of a service, readable without knowing its shape. */

/** Any JSON report: objects as lists of facts, lists of objects as tables. */
export function Report({ value, name }: { value: unknown; name: string }) {
  if (Array.isArray(value)) {
    if (!value.length) return <span className="muted">none</span>;
    const rows = value.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null);
    if (rows.length !== value.length) return <span>{value.map(String).join(", ")}</span>;
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return (
      <table className="data">
        <caption>{name}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>{typeof r[c] === "object" && r[c] !== null ? JSON.stringify(r[c]) : String(r[c] ?? "—")}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  if (typeof value === "object" && value !== null) {
    return (
      <dl className="facts">
        {Object.entries(value).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>
              <Report value={v} name={k} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <span>{String(value)}</span>;
}

