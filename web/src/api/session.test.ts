import { afterEach, expect, it, vi } from "vitest";
import { api, sessionToken } from "./client";

afterEach(() => {
  vi.restoreAllMocks();
  sessionStorage.clear();
});

function minted(token: string) {
  const data = { token, expires_at: new Date(Date.now() + 3_600_000).toISOString() };
  return { data, response: new Response(null, { status: 201 }) };
}

it("mints one session for the calls made while it is minted", async () => {
  // the page's early mint and the buyer's first press: a second session would hide the holds
  // made under the first
  const post = vi.spyOn(api, "POST").mockImplementation((async () => minted("tok-1")) as never);
  expect(await Promise.all([sessionToken(), sessionToken(), sessionToken()])).toEqual(["tok-1", "tok-1", "tok-1"]);
  expect(post).toHaveBeenCalledTimes(1);
  expect(await sessionToken()).toBe("tok-1");
  expect(post).toHaveBeenCalledTimes(1);
});
