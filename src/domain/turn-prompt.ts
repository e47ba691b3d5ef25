/**
 * The text of the prompts the executor sends. Everything the hub adds (run input, dependency
 * outputs, inbox messages) is quoted line by line with "> ", so it reads as context and can never be
 * mistaken for the step's own instructions; the step's prompt comes last, verbatim.
 */
export interface PromptMessage {
  message_id: string;
  from_actor_id: string;
  route: string;
  kind: string;
  payload: unknown;
}

export interface StepPromptInput {
  runId: string;
  teamName: string;
  memberId: string;
  role: string;
  stepKey: string;
  attempt: number;
  runInput: unknown;
  dependencies: { step_key: string; output: string | null }[];
  messages: PromptMessage[];
  prompt: string;
}

function quote(text: string): string[] {
  return text.split(/\r?\n/).map((l) => `> ${l}`);
}

function json(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v ?? null);
}

function messageLines(messages: readonly PromptMessage[]): string[] {
  const out: string[] = [];
  for (const m of messages) {
    out.push(`- ${m.kind} ${m.message_id} from ${m.from_actor_id} (${m.route}):`);
    out.push(...quote(JSON.stringify(m.payload ?? null)));
  }
  if (messages.some((m) => m.kind === "permission_review")) {
    out.push(
      "Answer each permission review with `agenthub actor permission-review-respond --request-id <review_id> --option-id <option_id>` (or `--outcome cancelled`).",
    );
  }
  return out;
}

export function buildStepPrompt(i: StepPromptInput): string {
  const lines = [
    `[agenthub] run ${i.runId}, step "${i.stepKey}" (attempt ${i.attempt}); you are member "${i.memberId}" (${i.role}) of team "${i.teamName}".`,
    "Run input:",
    ...quote(json(i.runInput)),
  ];
  for (const d of i.dependencies) {
    lines.push(`Output of step "${d.step_key}":`, ...quote(d.output ?? ""));
  }
  if (i.messages.length > 0) lines.push("New messages for you:", ...messageLines(i.messages));
  lines.push(
    "Your reply ends the step and becomes its output (or report it with `agenthub actor step-complete --output ...`; `agenthub actor step-fail --error-text ...` if you cannot do it).",
    "",
    i.prompt,
  );
  return lines.join("\n");
}

export function buildMailPrompt(i: {
  runId: string;
  teamName: string;
  memberId: string;
  role: string;
  messages: PromptMessage[];
}): string {
  return [
    `[agenthub] run ${i.runId}; you are member "${i.memberId}" (${i.role}) of team "${i.teamName}".`,
    "New messages for you:",
    ...messageLines(i.messages),
  ].join("\n");
}
