import { describe, expect, it } from "vitest";
import { storefrontConfig } from "./config";

const real = { stripe: { mode: "stripe", publishable_key: "pk_live_x", emulator_url: "" } };

function answers(...replies: (Response | Error)[]): (url: string) => Promise<Response> {
  return () => {
    const next = replies.shift();
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next as Response);
  };
}

describe("storefrontConfig", () => {
  it("never falls back to the test emulator in a built app, and asks again after a failure", async () => {
    const fetchJson = answers(new Error("offline"), new Response("", { status: 503 }), Response.json(real));
    await expect(storefrontConfig(fetchJson, false)).rejects.toThrow("offline");
    await expect(storefrontConfig(fetchJson, false)).rejects.toThrow("HTTP 503");
    await expect(storefrontConfig(fetchJson, false)).resolves.toEqual(real);
    await expect(storefrontConfig(answers(), false)).resolves.toEqual(real); // kept once loaded
  });
});
