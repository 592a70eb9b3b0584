import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { describe, expect, it } from "vitest";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

describe("the generated API types", () => {
  it("match the committed OpenAPI document (run `npm run api:types` after exporting it)", async () => {
    const document = JSON.parse(readFileSync(here("../../openapi/openapi.json"), "utf8"));
    const generated = astToString(await openapiTS(document));
    const committed = readFileSync(here("./schema.d.ts"), "utf8");
    const body = (text: string) => text.slice(text.indexOf("export interface paths"));
    expect(body(committed)).toBe(body(generated));
  }, 30_000);
});
