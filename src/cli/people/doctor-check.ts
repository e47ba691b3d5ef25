/** One line of `agenthub doctor`: what was checked, how it went, and for a problem how to fix it. */
export interface CheckResult {
  name: string;
  status: "ok" | "warn" | "fail" | "skip";
  detail: string;
  fix?: string;
}

export const ok = (name: string, detail: string): CheckResult => ({ name, status: "ok", detail });
export const skip = (name: string, detail: string): CheckResult => ({ name, status: "skip", detail });
export const warn = (name: string, detail: string, fix: string): CheckResult => ({
  name,
  status: "warn",
  detail,
  fix,
});
export const fail = (name: string, detail: string, fix: string): CheckResult => ({
  name,
  status: "fail",
  detail,
  fix,
});

const LABEL = { ok: "ok  ", warn: "WARN", fail: "FAIL", skip: "skip" } as const;

/** `FAIL  config: <what>; fix: <how>` on one line. */
export function formatCheck(r: CheckResult): string {
  const fix = r.fix ? `; fix: ${r.fix}` : "";
  return `${LABEL[r.status]}  ${r.name}: ${r.detail.replace(/\s*\n\s*/g, " ")}${fix}`;
}
