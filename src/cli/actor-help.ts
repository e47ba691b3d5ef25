/** `agenthub actor help <command>`: one entry per command. */
export const ACTOR_HELP: Record<string, string> = {
  inbox: "inbox [--limit N]\n  List your pending and delivered messages in the run (read-only).",
  receive: "receive [--limit N]\n  Return your pending messages and acknowledge them.",
  ack: "ack --message-id ID [--message-id ID...]\n  Acknowledge messages.",
  send:
    "send (--to-actor-id X | --to-leader | --broadcast) (--text T | --payload-json J) [--idempotency-key K]\n" +
    "  Send a mailbox message. A retried send with the same key stores one message.",
  "team-members": "team-members\n  List the team's members, their roles, agents and nodes.",
  "team-tasks":
    "team-tasks [--status open|in_progress|in_review|completed|canceled]\n  List the team's tasks.",
  "team-task-create":
    "team-task-create --title T [--assigned-member-id M] [--priority N]\n  Create a team task.",
  "team-task-update":
    "team-task-update --task-id ID --status S\n  Move a task to another status (workers: their own or unassigned tasks).",
  "step-complete":
    "step-complete --output TEXT [--step-key K]\n  Complete your working step (the only one, or the one named; only your own steps).",
  "step-fail":
    "step-fail --error-text TEXT [--code CODE] [--step-key K]\n  Fail your working step with a reason (only your own steps).",
  "permission-review-respond":
    "permission-review-respond --request-id ID (--option-id O | --outcome cancelled)\n" +
    "  Answer a permission review routed to you (leaders).",
};

export const ACTOR_USAGE = `usage: agenthub actor <command> [options] [--json]

commands: ${Object.keys(ACTOR_HELP).join(", ")}
  agenthub actor help <command>   details of one command

common options: --json (machine-readable output), --run-id ID, --actor-id ID
environment: AGENTHUB_INTERNAL_GRPC_TARGET, AGENTHUB_INTERNAL_GRPC_TOKEN, AGENTHUB_INTERNAL_GRPC_CA_CERT
  (or _CA_CERT_PEM; _CLIENT_CERT/_CLIENT_KEY for mTLS), AGENTHUB_ACTOR_ID, AGENTHUB_RUN_ID.
  On the hub's machine, without them, the hub's config and generated secret are used.
exit codes: 0 ok, 1 server error, 2 usage error
`;
