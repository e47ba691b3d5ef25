/**
 * What each actor command is for and how it is called, as `agenthub actor help` shows it. Plain text
 * only: the help loads nothing else (no schemas, no gRPC), so it starts as fast as node itself. The
 * commands' argument rules and calls are in actor-operations.ts, keyed by the same names.
 */
export interface ActorCommandDoc {
  /** The CLI's options. */
  usage: string;
  /** What it does: the help text and the MCP tool's description. */
  about: string;
  /** Changes nothing (MCP's read-only hint). */
  readOnly?: boolean;
}

export const ACTOR_COMMAND_DOCS = {
  inbox: {
    usage: "[--limit N]",
    about: "List your pending and delivered messages in the run (read-only).",
    readOnly: true,
  },
  receive: { usage: "[--limit N]", about: "Return your pending messages and acknowledge them." },
  ack: { usage: "--message-id ID [--message-id ID...]", about: "Acknowledge messages." },
  send: {
    usage:
      "(--to-actor-id X | --to-leader | --broadcast) (--text T | --payload-json J) [--idempotency-key K]",
    about: "Send a mailbox message. A retried send with the same key stores one message.",
  },
  "team-members": {
    usage: "",
    about: "List the team's members, their roles, agents and nodes.",
    readOnly: true,
  },
  "team-tasks": {
    usage: "[--status open|in_progress|in_review|completed|canceled]",
    about: "List the team's tasks.",
    readOnly: true,
  },
  "team-task-create": {
    usage: "--title T [--assigned-member-id M] [--priority N]",
    about: "Create a team task.",
  },
  "team-task-update": {
    usage: "--task-id ID --status S",
    about: "Move a task to another status (workers: their own or unassigned tasks).",
  },
  "step-complete": {
    usage: "--output TEXT [--step-key K]",
    about: "Complete your working step (the only one, or the one named; only your own steps).",
  },
  "step-fail": {
    usage: "--error-text TEXT [--code CODE] [--step-key K]",
    about: "Fail your working step with a reason (only your own steps).",
  },
  "permission-review-respond": {
    usage: "--request-id ID (--option-id O | --outcome cancelled)",
    about: "Answer a permission review routed to you (leaders).",
  },
} as const satisfies Record<string, ActorCommandDoc>;

export type ActorCommandName = keyof typeof ACTOR_COMMAND_DOCS;

export function isActorCommand(name: string): name is ActorCommandName {
  return Object.hasOwn(ACTOR_COMMAND_DOCS, name);
}

/** The MCP tool of a command: its name with `_` for `-` (`team-task-create` -> `team_task_create`). */
export function actorToolName(command: string): string {
  return command.replaceAll("-", "_");
}
