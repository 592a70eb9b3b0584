import { describe, expect, it } from "vitest";
import { parseSeatCsv, seatFileText, splitCsvLine } from "./csv";

describe("parseSeatCsv", () => {
  it("reads seats, sections and the optional columns", () => {
    const preview = parseSeatCsv(
      "section,row,number,x,y,accessible\nStalls,A,1,0,0,yes\nStalls,A,2,1,0,\n\"Balcony, left\",B,1,0,5,0\n",
    );
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    expect(preview.seats).toHaveLength(3);
    expect(preview.seats[0]).toEqual({ section: "Stalls", row: "A", number: 1, x: 0, y: 0, accessible: true });
    expect(preview.sections).toEqual([
      { name: "Stalls", seats: 2 },
      { name: "Balcony, left", seats: 1 },
    ]);
  });

  it("names the first bad line", () => {
    expect(parseSeatCsv("section,row\nA,1")).toEqual({ ok: false, error: "The header lacks number." });
    expect(parseSeatCsv("section,row,number\nS,A,1\nS,A,x")).toMatchObject({ error: expect.stringContaining("Line 3") });
    expect(parseSeatCsv("section,row,number\nS,A,1\nS,A,1")).toMatchObject({ error: expect.stringContaining("appears twice") });
    expect(parseSeatCsv("section,row,number\n,A,1")).toMatchObject({ error: "Line 2: the section is empty." });
    expect(parseSeatCsv("section,row,number,x\nS,A,1,far")).toMatchObject({ error: expect.stringContaining("x and y") });
    expect(parseSeatCsv("section,row,number\n")).toEqual({ ok: false, error: "There are no seats in the file." });
  });

  it("reads numbers and flags as the server does", () => {
    // the server refuses these; the preview showed seats 10 and 31 and a seat that was not accessible
    for (const number of ["1e1", "0x1f", "1.0"])
      expect(parseSeatCsv(`section,row,number\nS,A,${number}`)).toMatchObject({ error: expect.stringContaining("whole number") });
    for (const word of ["maybe", "constructor", "__proto__"])
      expect(parseSeatCsv(`section,row,number,accessible\nS,A,1,${word}`)).toMatchObject({ error: expect.stringContaining("accessible must be") });
    expect(parseSeatCsv("section,row,number,Row\nS,A,1,B")).toEqual({ ok: false, error: "The header names row twice." });
    const listed = parseSeatCsv("\ufeffSection, Row ,NUMBER,accessible\nS,A,7,No");
    expect(listed.ok && listed.seats[0]).toMatchObject({ row: "A", number: 7, accessible: false });
  });

  it("refuses what the server refuses, in the preview's words", () => {
    const refused = (text: string) => {
      const preview = parseSeatCsv(text);
      return preview.ok ? "" : preview.error;
    };
    expect(refused("section,row,number,x\nS,A,1,0x10")).toContain("Line 2: x and y must be numbers such as 12.5");
    expect(refused("section,row,number,y\nS,A,1,Infinity")).toContain("x and y must be numbers");
    expect(refused(`section,row,number\n${"S".repeat(101)},A,1`)).toBe(
      "Line 2: the section is longer than 100 characters.",
    );
    expect(refused(`section,row,number\nS,${"A".repeat(21)},1`)).toBe("Line 2: the row is longer than 20 characters.");
    expect(refused("section,row,number\nS\u0007,A,1")).toBe("Line 2: the section contains control characters.");
    expect(refused('section,row,number\n"Stalls,A,1')).toBe("Line 2: a quote is not closed on this line (one seat a line).");
    expect(refused("section;row;number\nS;A;1")).toContain("commas, not semicolons");
    // numbered as an editor numbers lines, as the server does
    expect(refused("\n\nsection,row,number\nS,A,1\n\nS,A,x")).toContain("Line 6:");
    const placed = parseSeatCsv("section,row,number,x,y\nS,A,1,-12.5,3e2");
    expect(placed.ok && placed.seats[0]).toMatchObject({ x: -12.5, y: 300 });
  });

  it("reads a chosen file as UTF-8 or says why not", async () => {
    const file = (bytes: number[]) => ({
      name: "seats.csv",
      size: bytes.length,
      arrayBuffer: () => Promise.resolve(new Uint8Array(bytes).buffer),
    });
    expect(await seatFileText(file([]))).toEqual({ ok: false, error: "seats.csv is empty." });
    const latin1 = [...new TextEncoder().encode("section,row,number\nCaf"), 0xe9, ...new TextEncoder().encode(",A,1")];
    expect(await seatFileText(file(latin1))).toMatchObject({ ok: false, error: expect.stringContaining("not UTF-8") });
    const utf8 = [...new TextEncoder().encode("section,row,number\nCafé,A,1")];
    expect(await seatFileText(file(utf8))).toEqual({ ok: true, text: "section,row,number\nCafé,A,1" });
  });

  it("splits quoted fields", () => {
    expect(splitCsvLine('a,"b ""c"", d",e')).toEqual(["a", 'b "c", d', "e"]);
  });
});
