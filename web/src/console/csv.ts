/** The seat CSV as the inventory service reads it (``section,row,number[,x,y,accessible]``,
 * header required), parsed in the browser for a preview before anything is uploaded. The
 * server checks the file again: this is for the eye, and names the first bad line early. */

export interface CsvSeat {
  section: string;
  row: string;
  number: number;
  x: number;
  y: number;
  accessible: boolean;
}

export type CsvPreview =
  | { ok: true; seats: CsvSeat[]; sections: { name: string; seats: number }[] }
  | { ok: false; error: string };

const REQUIRED = ["section", "row", "number"] as const;
const MAX_SEATS = 100_000;
const ACCESSIBLE: Record<string, boolean> = { "1": true, true: true, yes: true, "0": false, false: false, no: false };

/** Split one CSV line, with double-quoted fields ("" inside quotes is one quote). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields;
}

// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/u;
// a plain decimal, as the server reads x and y (Number() also took "0x10", "Infinity" and " ")
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/u;

function coordinate(raw: string): number {
  if (raw === "") return 0;
  return DECIMAL.test(raw) ? Number(raw) : NaN;
}

/** A section or row name, refused as the server refuses it (``null``: it is fine). */
function nameProblem(what: string, value: string, maxLength: number): string | null {
  if (!value) return `the ${what} is empty`;
  if ([...value].length > maxLength) return `the ${what} is longer than ${maxLength} characters`;
  if (CONTROL.test(value)) return `the ${what} contains control characters`;
  return null;
}

export function parseSeatCsv(text: string): CsvPreview {
  const body = text.replace(/^\ufeff/u, "");
  // lines numbered as an editor numbers them: blank ones before the header counted too
  const skipped = (/^\s*/u.exec(body)?.[0].match(/\n/gu) ?? []).length;
  const lines = body.trim().split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? "").map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) {
    const hint = (lines[0] ?? "").includes(";") ? " Separate the columns with commas, not semicolons." : "";
    return { ok: false, error: `The header lacks ${missing.join(", ")}.${hint}` };
  }
  const twice = [...new Set(header.filter((c, i) => c && header.indexOf(c) !== i))].sort();
  if (twice.length) return { ok: false, error: `The header names ${twice.join(", ")} twice.` };
  const col = (name: string) => header.indexOf(name);
  const seats: CsvSeat[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    if (!raw.trim()) continue;
    const line = i + 1 + skipped;
    if ((raw.match(/"/gu) ?? []).length % 2 === 1)
      return { ok: false, error: `Line ${line}: a quote is not closed on this line (one seat a line).` };
    const cells = splitCsvLine(raw).map((c) => c.trim());
    const at = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? "") : "");
    const section = at("section");
    const row = at("row");
    const named = nameProblem("section", section, 100) ?? nameProblem("row", row, 20);
    if (named) return { ok: false, error: `Line ${line}: ${named}.` };
    // digits only, as the server reads it (Number() also took "1e1" and " 0x1f")
    const number = /^[0-9]+$/.test(at("number")) ? Number(at("number")) : NaN;
    if (!Number.isInteger(number) || number < 1 || number > 100_000)
      return { ok: false, error: `Line ${line}: the seat number must be a whole number from 1 to 100000.` };
    const x = coordinate(at("x"));
    const y = coordinate(at("y"));
    if (![x, y].every((v) => Number.isFinite(v) && Math.abs(v) <= 1_000_000))
      return { ok: false, error: `Line ${line}: x and y must be numbers such as 12.5, within ±1000000.` };
    const key = `${section}\u0000${row}\u0000${number}`;
    if (seen.has(key))
      return { ok: false, error: `Line ${line}: ${section} row ${row} seat ${number} appears twice.` };
    seen.add(key);
    const accessible = at("accessible").toLowerCase();
    if (accessible && !Object.hasOwn(ACCESSIBLE, accessible))
      return { ok: false, error: `Line ${line}: accessible must be 1/0, true/false or yes/no, not "${accessible}".` };
    seats.push({ section, row, number, x, y, accessible: ACCESSIBLE[accessible] ?? false });
    if (seats.length > MAX_SEATS) return { ok: false, error: `More than ${MAX_SEATS} seats in one file.` };
  }
  if (!seats.length) return { ok: false, error: "There are no seats in the file." };
  const counts = new Map<string, number>();
  for (const s of seats) counts.set(s.section, (counts.get(s.section) ?? 0) + 1);
  return { ok: true, seats, sections: [...counts].map(([name, n]) => ({ name, seats: n })) };
}

/** The text of a chosen seat file, or why it cannot be read: an empty file said nothing at
 * all, and a Latin-1 export (Excel's "CSV") became "Caf\uFFFD" in the venue, since the
 * browser's ``file.text()`` replaces what is not UTF-8 instead of refusing it. */
export async function seatFileText(
  file: Pick<File, "name" | "size" | "arrayBuffer">,
): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  if (file.size === 0) return { ok: false, error: `${file.name} is empty.` };
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer()) };
  } catch {
    return {
      ok: false,
      error: `${file.name} is not UTF-8 text: save it from the spreadsheet as "CSV UTF-8" and choose it again.`,
    };
  }
}
