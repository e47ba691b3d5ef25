import type { Schemas } from "../api/client";
import { formatDuration } from "../components/common";

type Step = Schemas["Step"];

const W = 168;
const H = 64;
const GAP_X = 24;
const GAP_Y = 40;
const PAD = 8;

/** Each step's level: 0 without dependencies, else one below its deepest dependency. */
export function levels(steps: readonly Step[]): Map<string, number> {
  const byKey = new Map(steps.map((s) => [s.step_key, s]));
  const out = new Map<string, number>();
  const visit = (key: string, seen: Set<string>): number => {
    const known = out.get(key);
    if (known !== undefined) return known;
    const s = byKey.get(key);
    if (!s || seen.has(key)) return 0;
    seen.add(key);
    const deps = s.depends_on.filter((d) => byKey.has(d));
    const level = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => visit(d, seen)));
    out.set(key, level);
    return level;
  };
  for (const s of steps) visit(s.step_key, new Set());
  return out;
}

export function stepDuration(s: Step, now: number): number | undefined {
  if (!s.started_at) return undefined;
  const end = s.finished_at ? Date.parse(s.finished_at) : now;
  return end - Date.parse(s.started_at);
}

/**
 * The run's steps as a graph, top to bottom by dependency level: each node a link to its step's
 * details with its state, attempt and duration; arrows from each dependency.
 */
export function RunGraph({ steps, now }: { steps: readonly Step[]; now: number }) {
  const level = levels(steps);
  const rows = new Map<number, Step[]>();
  for (const s of steps) {
    const l = level.get(s.step_key) ?? 0;
    rows.set(l, [...(rows.get(l) ?? []), s]);
  }
  const depth = Math.max(0, ...rows.keys()) + 1;
  const widest = Math.max(1, ...[...rows.values()].map((r) => r.length));
  const width = PAD * 2 + widest * W + (widest - 1) * GAP_X;
  const height = PAD * 2 + depth * H + (depth - 1) * GAP_Y;
  const pos = new Map<string, { x: number; y: number }>();
  for (const [l, row] of rows) {
    const rowWidth = row.length * W + (row.length - 1) * GAP_X;
    const left = (width - rowWidth) / 2;
    row.forEach((s, i) => {
      pos.set(s.step_key, { x: left + i * (W + GAP_X), y: PAD + l * (H + GAP_Y) });
    });
  }
  return (
    <figure className="graph-wrap" aria-label={`Step graph: ${steps.length} steps`}>
      <svg
        className="graph"
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        aria-hidden="false"
      >
        <title>Step graph</title>
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0 0 10 5 0 10z" className="edge-head" />
          </marker>
        </defs>
        {steps.flatMap((s) =>
          s.depends_on.flatMap((d) => {
            const a = pos.get(d);
            const b = pos.get(s.step_key);
            if (!a || !b) return [];
            const x1 = a.x + W / 2;
            const y1 = a.y + H;
            const x2 = b.x + W / 2;
            const y2 = b.y;
            const mid = (y1 + y2) / 2;
            return [
              <path
                key={`${d}->${s.step_key}`}
                className="edge"
                d={`M${x1} ${y1} C${x1} ${mid} ${x2} ${mid} ${x2} ${y2 - 2}`}
                markerEnd="url(#arrow)"
              />,
            ];
          }),
        )}
        {steps.map((s) => {
          const p = pos.get(s.step_key);
          if (!p) return null;
          const ms = stepDuration(s, now);
          const label = `${s.step_key}: ${s.status.replaceAll("_", " ")}, attempt ${s.attempt}${ms === undefined ? "" : `, ${formatDuration(ms)}`}`;
          return (
            <a key={s.step_key} href={`#step-${s.step_key}`} aria-label={label} className="node-link">
              <g className={`node node-${s.status}`} transform={`translate(${p.x} ${p.y})`}>
                <rect width={W} height={H} rx="8" />
                <text x="10" y="20" className="node-title">
                  {s.step_key.length > 20 ? `${s.step_key.slice(0, 19)}…` : s.step_key}
                </text>
                <text x="10" y="38" className="node-sub">
                  {s.status.replaceAll("_", " ")} · #{s.attempt}
                </text>
                <text x="10" y="54" className="node-sub">
                  {s.member_id}
                  {ms === undefined ? "" : ` · ${formatDuration(ms)}`}
                </text>
              </g>
            </a>
          );
        })}
      </svg>
    </figure>
  );
}
