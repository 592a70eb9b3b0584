import { describe, expect, it } from "vitest";
import { signInLink, takeLinkedToken, tokenInLink } from "./signInLink";

describe("a sign-in link", () => {
  it("carries the token in the fragment and gives it back", () => {
    const link = signInLink("https://tickets.example.com", "/scanner/", "aaa.bbb-_.ccc");
    expect(link).toBe("https://tickets.example.com/scanner/#token=aaa.bbb-_.ccc");
    expect(tokenInLink(new URL(link).hash)).toBe("aaa.bbb-_.ccc");
  });

  it("finds no token in another fragment", () => {
    expect(tokenInLink("")).toBeNull();
    expect(tokenInLink("#token=")).toBeNull();
    expect(tokenInLink("#main")).toBeNull();
  });

  it("is taken out of the address bar when read", () => {
    window.history.replaceState(null, "", "/box-office?performance=prf_1#token=abc");
    expect(takeLinkedToken()).toBe("abc");
    expect(window.location.pathname + window.location.search + window.location.hash).toBe("/box-office?performance=prf_1");
    expect(takeLinkedToken()).toBeNull();
  });
});
