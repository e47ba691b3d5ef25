import { describe, expect, it } from "vitest";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSize } from "../../src/domain/paging.js";
import { isAppError } from "../../src/errors/registry.js";

describe("page sizes", () => {
  it("use the default when none is asked for, and the size asked for up to the maximum", () => {
    expect(pageSize(undefined)).toBe(DEFAULT_PAGE_SIZE);
    expect(pageSize(1)).toBe(1);
    expect(pageSize(MAX_PAGE_SIZE)).toBe(MAX_PAGE_SIZE);
  });

  it("refuse a size outside 1..MAX_PAGE_SIZE naming the field, never cutting it down", () => {
    for (const bad of [0, -1, 1.5, MAX_PAGE_SIZE + 1, Number.NaN]) {
      let thrown: unknown;
      try {
        pageSize(bad);
      } catch (err) {
        thrown = err;
      }
      expect(isAppError(thrown) && thrown.code, String(bad)).toBe("BAD_REQUEST");
      expect((thrown as Error).message).toBe(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
      expect(isAppError(thrown) && thrown.details).toMatchObject({ field: "limit" });
    }
  });
});
