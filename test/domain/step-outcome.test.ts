import { describe, expect, it } from "vitest";
import { decodeWarnings, runOutcome, stepOutcome } from "../../src/domain/step-outcome.js";

describe("step and run outcomes", () => {
  const w = { code: "EMPTY_REPLY" as const, message: "empty" };

  it("a completed step is clean without warnings, with_warnings with any; null unless completed", () => {
    expect(stepOutcome({ status: "completed", warnings: [] })).toBe("clean");
    expect(stepOutcome({ status: "completed", warnings: [w] })).toBe("with_warnings");
    expect(stepOutcome({ status: "failed", warnings: [w] })).toBeNull();
    expect(stepOutcome({ status: "working", warnings: [] })).toBeNull();
  });

  it("a completed run is with_warnings when any step has warnings", () => {
    expect(runOutcome({ status: "completed" }, [{ warnings: [] }, { warnings: [w] }])).toBe("with_warnings");
    expect(runOutcome({ status: "completed" }, [{ warnings: [] }])).toBe("clean");
    expect(runOutcome({ status: "failed" }, [{ warnings: [w] }])).toBeNull();
  });

  it("decodes stored warnings, dropping anything unreadable", () => {
    expect(decodeWarnings(JSON.stringify([w, { code: "NOPE", message: "x" }, 3]))).toEqual([w]);
    expect(decodeWarnings("not json")).toEqual([]);
    expect(decodeWarnings(undefined)).toEqual([]);
  });
});
