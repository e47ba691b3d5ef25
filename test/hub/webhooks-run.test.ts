import { afterEach, describe, expect, it } from "vitest";
import { waitUntil } from "../helpers/wait-until.js";
import { type Receiver, startReceiver, verified } from "../helpers/webhook-receiver.js";
import { openTeamHub, type TeamHub } from "../team/helpers.js";

let t: TeamHub | undefined;
let rx: Receiver | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  await rx?.close();
  rx = undefined;
});

type Payload = { type: string; timestamp: string; data: Record<string, Record<string, unknown>> };

describe("webhooks from a real run (scripted agents)", () => {
  it("a review waiting for a human arrives as review.pending, the finished run as run.completed, each signed", async () => {
    const console = "https://agents.example.test";
    t = await openTeamHub({ server: { public_url: console } });
    rx = await startReceiver();
    const hook = await t.call<{ id: string; secret: string }>("POST", "/api/webhooks", { url: rx.url });
    expect(hook.status).toBe(201);

    const teamId = await t.createTeam(
      {
        leader_member_id: "lead",
        members: [t.member("lead", "leader"), t.member("w1", "worker")],
        entrypoint: { member_id: "lead", prompt: "go" },
        steps: [
          { step_key: "plan", member_id: "lead", prompt: "reply: plan" },
          {
            step_key: "build",
            member_id: "w1",
            prompt: "ask-permission write f.txt: x\nreply: built",
            depends_on: ["plan"],
          },
        ],
        permissions: { route: "to_human" },
      },
      "webhook-team",
    );
    await t.startRuntime(teamId);
    const run = await t.newRun(teamId);

    const [first] = await rx.next(1);
    const pending = verified(hook.body.secret, first!) as Payload;
    expect(pending.type).toBe("review.pending");
    const reviewId = String(pending.data.review!.id);
    expect(pending.data).toEqual({
      run: expect.objectContaining({ id: run.id, url: `${console}/runs/${run.id}` }),
      team: { id: teamId, name: "webhook-team", url: `${console}/teams/${teamId}` },
      step: { key: "build", member_id: "w1", attempt: 1 },
      review: {
        id: reviewId,
        requester: "w1",
        reviewer: "human",
        tool_call: expect.stringContaining("f.txt"),
        options: ["allow_once", "reject_once"],
      },
      attention: { url: `${console}/attention` },
    });
    const reviews = await t.call<{ reviews: { review_id: string }[] }>(
      "GET",
      `/api/runs/${run.id}/permission-reviews?status=pending`,
    );
    expect(reviews.body.reviews.map((r) => r.review_id)).toEqual([reviewId]);

    const answered = await t.call("POST", `/api/runs/${run.id}/permission-reviews/${reviewId}/respond`, {
      option_id: "allow_once",
    });
    expect(answered.status).toBe(200);
    await t.waitRun(run.id, "completed");
    const [, second] = await rx.next(2);
    const done = verified(hook.body.secret, second!) as Payload;
    expect(done).toMatchObject({
      type: "run.completed",
      data: {
        run: { id: run.id, status: "completed", error: null, url: `${console}/runs/${run.id}` },
        team: { id: teamId, name: "webhook-team" },
      },
    });
    expect(new Set(rx.got.map((r) => r.headers["webhook-id"])).size).toBe(2);
    // Only those two: nothing else in the run is a notification.
    const deliveries = await waitUntil("both deliveries recorded", async () => {
      const r = await t!.call<{ deliveries: { event_type: string; status: string }[] }>(
        "GET",
        `/api/webhooks/${hook.body.id}/deliveries`,
      );
      return r.body.deliveries.every((d) => d.status === "delivered") && r;
    });
    expect(deliveries.body.deliveries.map((d) => [d.event_type, d.status])).toEqual([
      ["run.completed", "delivered"],
      ["review.pending", "delivered"],
    ]);
  });
});
