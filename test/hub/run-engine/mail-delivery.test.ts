import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailTurnId, stepTurnId } from "../../../src/domain/turn-id.js";
import { MailDelivery } from "../../../src/hub/run-engine/mail-delivery.js";
import { TurnTracker } from "../../../src/hub/run-engine/turn-tracker.js";
import type { Run } from "../../../src/store/runs-repo.js";
import type { Team } from "../../../src/store/teams-repo.js";
import { waitUntil } from "../../helpers/wait-until.js";
import { type EngineWorld, openEngineWorld, unreachable } from "./engine-world.js";

let w: EngineWorld;
let turns: TurnTracker;
let mail: MailDelivery;
let team: Team;
let run: Run;

beforeEach(async () => {
  w = openEngineWorld();
  const { services, runtime, nodes, clock, logger } = w;
  turns = new TurnTracker({ runs: services.runs, nodes, clock, logger });
  mail = new MailDelivery({ services, runtime, nodes, turns, logger });
  team = await w.start(await w.team(["lead", "w1"], [{ step_key: "s", member_id: "lead" }]));
  run = w.run(team);
});

afterEach(() => {
  turns.stop();
  w.close();
});

const send = (note: string) =>
  w.services.mailbox.send(run, {
    fromActorId: "lead",
    route: "to_member",
    toActorId: "w1",
    payload: { note },
  });

const pendingFor = (memberId: string) => w.services.mailbox.inbox(run, { actorId: memberId });

describe("MailDelivery", () => {
  it("gives an idle member its pending messages as a turn of its own, then marks them delivered", async () => {
    send("first");
    const second = send("second");
    mail.onSent(run.id, ["w1"]);

    const [input] = await w.node.waitInputs(1);
    expect(input!.agentId).toBe(w.agentOf(team, "w1"));
    expect(input!.turnId).toBe(mailTurnId(run.id, "w1", second.seq));
    expect(input!.text).toContain("first");
    expect(input!.text).toContain("second");
    await waitUntil("messages delivered", async () => pendingFor("w1").length === 0);
    const delivered = w.runEvents(run.id).find((e) => e.kind === "mailbox.delivered");
    expect(delivered?.data).toMatchObject({ actor_id: "w1" });
    // The member is busy with that turn: more mail waits for it to end.
    expect(turns.busy(w.agentOf(team, "w1"))).toBe(true);
  });

  it("leaves a busy member's mail pending for its next turn", async () => {
    const agent = w.runtime.memberAgent(team.id, "w1")!;
    turns.trackMail("mail|other|1|w1", run.id, agent);
    send("later");
    mail.deliver(run, team, "w1");
    expect(w.node.inputs).toEqual([]);
    expect(pendingFor("w1")).toHaveLength(1);

    turns.untrack("mail|other|1|w1");
    mail.deliver(run, team, "w1");
    await w.node.waitInputs(1);
    expect(w.node.inputs[0]!.text).toContain("later");
  });

  it("delivers nothing to a member of a run that finished or of a team whose runtime is stopped", async () => {
    send("too late");
    w.services.runs.cancel({ kind: "system" }, run.id);
    mail.onSent(run.id, ["w1"]);
    // The runtime is marked stopped while its agents still run (a stop in progress).
    w.services.teams.repo.setRuntimeStatus(team.id, "stopped");
    const stopped = w.run(team);
    w.services.mailbox.send(stopped, {
      fromActorId: "lead",
      route: "to_member",
      toActorId: "w1",
      payload: {},
    });
    mail.onSent(stopped.id, ["w1"]);
    expect(w.node.inputs).toEqual([]);
  });

  it("keeps messages pending when the node refuses the turn, and the member is free again", async () => {
    w.node.refuseInput = () => unreachable();
    send("lost?");
    mail.deliver(run, team, "w1");
    const agentId = w.agentOf(team, "w1");
    await waitUntil("the failed delivery is let go", async () => !turns.busy(agentId));
    expect(pendingFor("w1")).toHaveLength(1);

    w.node.refuseInput = () => undefined;
    mail.deliver(run, team, "w1");
    await w.node.waitInputs(1);
    await waitUntil("messages delivered", async () => pendingFor("w1").length === 0);
  });

  it("leaves the mail of a member running a step turn for that member's next turn", () => {
    const agent = w.runtime.memberAgent(team.id, "w1")!;
    turns.trackStep(
      run.id,
      { step_key: "s", attempt: 1, timeout_seconds: null },
      stepTurnId(run.id, "s", 1),
      agent,
      0,
    );
    send("wait");
    mail.deliver(run, team, "w1");
    expect(w.node.inputs).toEqual([]);
  });
});
