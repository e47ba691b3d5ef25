import { EXIT } from "./exit-codes.js";
import type { HubClient } from "./hub-client.js";
import type { Review, Run, RunEvent, RunEventPage, Team } from "./hub-types.js";
import { LiveView } from "./live-view.js";
import { duration, oneLine, print } from "./output.js";
import { ANSI, eventLine, PLAIN, progress, renderRun, reviewLine, TERMINAL } from "./run-render.js";
import { SseReader } from "./sse-reader.js";
import { StepTally } from "./step-tally.js";

export interface WatchOptions {
  /** One JSON object per line: `{"event": …}` for each event, then `{"run": …}`. */
  json: boolean;
  /** Redraw a live view in place (stdout is a terminal); otherwise one plain line per event. */
  tty: boolean;
  color: boolean;
}

/** How many of the latest events the live view shows. */
const LATEST = 8;

/** The exit code for a run that ended: 0 completed, 5 failed, 6 canceled. */
export function runExitCode(run: Run): number {
  if (run.status === "completed") return EXIT.ok;
  return run.status === "canceled" ? EXIT.runCanceled : EXIT.runFailed;
}

function summary(run: Run): string {
  const took = run.finished_at
    ? ` in ${duration(Date.parse(run.finished_at) - Date.parse(run.created_at))}`
    : "";
  const error = run.error ? `; ${run.error.code}: ${oneLine(run.error.message, 200)}` : "";
  return `run ${run.id} ${run.status}: ${progress(run)}${took}${error}`;
}

/**
 * `agenthub runs watch RUN`: follows the run's event stream (resuming with Last-Event-ID when it drops)
 * until the run has ended and every event up to then was shown. On a terminal the view (steps with
 * state and duration, progress, pending reviews, the latest events) is redrawn in place; elsewhere
 * each event is one line. The exit code tells how the run ended.
 */
export async function watchRun(client: HubClient, runId: string, opts: WatchOptions): Promise<number> {
  const runPath = `/api/runs/${encodeURIComponent(runId)}`;
  let run = await client.get<Run>(runPath);
  const teamName = await client.get<Team>(`/api/teams/${encodeURIComponent(run.team_id)}`).then(
    (t) => t.name,
    () => undefined,
  );
  const style = opts.color ? ANSI : PLAIN;
  const view = opts.tty && !opts.json ? new LiveView() : undefined;
  const recent: RunEvent[] = [];
  // The replay starts with the run's creation: every step it was created with, unfinished.
  const tally = new StepTally(run.steps.map((s) => s.step_key));
  let reviews: Review[] = [];
  let lastSeq = 0;
  const fetchReviews = async () => {
    reviews = (
      await client.get<{ reviews: Review[] }>(`${runPath}/permission-reviews`, { status: "pending" })
    ).reviews;
  };
  const redraw = () =>
    view?.draw(renderRun(run, { teamName, reviews, events: recent.slice(-LATEST), now: Date.now(), style }));
  /** Nothing after the last event shown: the stream has delivered everything up to now. */
  const caughtUp = async () =>
    (await client.get<RunEventPage>(`${runPath}/events`, { after: lastSeq, limit: 1 })).events.length === 0;

  const reader = new SseReader(client, `${runPath}/events`, 0, (cause) => {
    process.stderr.write(`agenthub: run event stream interrupted (${cause}); reconnecting\n`);
  });
  const tick = view ? setInterval(redraw, 1000) : undefined;
  tick?.unref();
  try {
    await fetchReviews();
    redraw();
    while (!(TERMINAL.has(run.status) && (await caughtUp()))) {
      const events = (await reader.take()).map((f) => f.data as RunEvent);
      lastSeq = events.at(-1)?.seq ?? lastSeq;
      recent.push(...events);
      recent.splice(0, Math.max(0, recent.length - LATEST));
      run = await client.get<Run>(runPath);
      if (events.some((e) => e.kind.startsWith("review.") || e.kind === "step.awaiting_review"))
        await fetchReviews();
      if (opts.json) {
        for (const e of events) print(JSON.stringify({ event: e }));
      } else if (view) {
        redraw();
      } else {
        for (const e of events) {
          tally.apply(e);
          print(`${eventLine(e)}  [${tally.progress()}]`);
          const id = (e.data as { review_id?: unknown } | null)?.review_id;
          const pending = e.kind === "review.requested" ? reviews.find((r) => r.review_id === id) : undefined;
          if (pending) print(reviewLine(pending, style));
        }
      }
    }
  } finally {
    if (tick) clearInterval(tick);
    await reader.close();
  }
  if (opts.json) print(JSON.stringify({ run }));
  else if (view) redraw();
  else print(summary(run));
  return runExitCode(run);
}
