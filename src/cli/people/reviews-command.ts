import { AppError } from "../../errors/registry.js";
import { UsageError } from "../usage.js";
import type { Review, ReviewDecision } from "./hub-types.js";
import { oneLine, print, printJson, table } from "./output.js";
import { parseFlags, positionals } from "./people-flags.js";
import { reviewWhat } from "./run-render.js";
import { openSession } from "./session.js";

export const REVIEWS_USAGE = `usage: agenthub reviews <verb> [--json] [--hub URL]
  list [--run RUN] [--all]      pending permission reviews waiting for you (--run: of one run, any
                                reviewer; --all: resolved ones too)
  approve REVIEW [--option ID]  allow (default: the option of kind allow_once)
  reject REVIEW [--option ID]   refuse (default: the option of kind reject_once)`;

/** The option a verb picks by default, by its ACP kind (never its id: agents name options freely). */
const DEFAULT_KIND = { approve: "allow_once", reject: "reject_once" } as const;

function chooseOption(r: Review, verb: "approve" | "reject", given: string | undefined): string {
  if (given) return given;
  const kind = DEFAULT_KIND[verb];
  const option = r.options.find((o) => o.kind === kind);
  if (option) return option.option_id;
  const offered = r.options.map((o) => `${o.option_id} (${o.kind})`).join(", ") || "none";
  throw new AppError(
    "BAD_REQUEST",
    { review_id: r.review_id, options: r.options },
    {
      message: `review ${r.review_id} offers no ${kind} option; choose one with --option (offered: ${offered})`,
    },
  );
}

function rows(reviews: Review[]): string {
  return table(
    ["review", "run", "step", "requester", "reviewer", "asks", "options", "status"],
    reviews.map((r) => [
      r.review_id,
      r.run_id,
      r.step_key,
      r.requester_member_id,
      r.reviewer,
      reviewWhat(r),
      r.options.map((o) => o.option_id).join(","),
      r.status,
    ]),
  );
}

/** `agenthub reviews …`. */
export async function reviewsCommand(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals: pos } = parseFlags(rest, {
    run: { type: "string" },
    all: { type: "boolean" },
    option: { type: "string" },
  });
  const client = () => openSession(values.hub);
  switch (verb) {
    case "list": {
      positionals(pos, [], "agenthub reviews list [--run RUN] [--all]");
      const status = values.all ? undefined : "pending";
      const path = values.run
        ? `/api/runs/${encodeURIComponent(values.run)}/permission-reviews`
        : "/api/permission-reviews";
      const { reviews } = await client().get<{ reviews: Review[] }>(path, { status });
      if (values.json) printJson(reviews);
      else print(rows(reviews));
      return 0;
    }
    case "approve":
    case "reject": {
      const [id] = positionals(pos, ["REVIEW"], `agenthub reviews ${verb} REVIEW [--option ID]`);
      const c = client();
      const review = await c.get<Review>(`/api/permission-reviews/${encodeURIComponent(id!)}`);
      const option_id = chooseOption(review, verb, values.option);
      const d = await c.post<ReviewDecision>(
        `/api/runs/${encodeURIComponent(review.run_id ?? "")}/permission-reviews/${encodeURIComponent(review.review_id)}/respond`,
        { option_id },
      );
      if (values.json) printJson(d);
      else if (d.already_resolved) {
        print(`review ${d.review_id} was already decided by ${d.decided_by ?? "?"}: ${oneLine(d.outcome)}`);
      } else {
        print(
          `${verb === "approve" ? "approved" : "rejected"} review ${d.review_id} with ${option_id} (step ${d.step_key ?? "-"} of run ${d.run_id})`,
        );
      }
      return 0;
    }
    default:
      throw new UsageError(verb ? `unknown reviews verb: ${verb}` : "reviews needs a verb");
  }
}
