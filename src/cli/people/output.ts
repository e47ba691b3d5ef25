/** Printing for the people's CLI: JSON for scripts (`--json`), aligned tables and durations for people. */

export function print(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

type Cell = string | number | boolean | null | undefined;

const cell = (v: Cell) => (v === null || v === undefined || v === "" ? "-" : String(v));

const ANSI_CODE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** How many columns a string takes on a terminal (ANSI colour codes take none). */
export function visibleLength(s: string): number {
  return s.replace(ANSI_CODE, "").length;
}

/** Left-aligned columns under an upper-case header; `(none)` for no rows. */
export function table(header: string[], rows: Cell[][]): string {
  if (rows.length === 0) return "(none)";
  const all = [header.map((h) => h.toUpperCase()), ...rows.map((r) => r.map(cell))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => visibleLength(r[i] ?? ""))));
  const pad = (c: string, w: number) => c + " ".repeat(Math.max(0, w - visibleLength(c)));
  return all
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** 850ms, 3.2s, 2m05s, 1h02m. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** An ISO time as local HH:MM:SS. */
export function clockTime(iso: string | null): string {
  if (!iso) return "--:--:--";
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A value on one line, cut to `max` characters. */
export function oneLine(v: unknown, max = 80): string {
  const s = (typeof v === "string" ? v : (JSON.stringify(v) ?? "")).replace(/\s+/g, " ").trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
