import { parseArgs } from "node:util";
import { OperatorError } from "../errors/operator-error.js";
import { USAGE, UsageError } from "./usage.js";

type Command = (args: string[]) => Promise<number>;

function configOnly(args: string[]): string | undefined {
  const { values } = parseArgs({ args, options: { config: { type: "string", short: "c" } }, strict: true });
  return values.config;
}

/** The people's CLI (a REST client): loaded only when one of its nouns runs. */
const people =
  (noun: string): Command =>
  async (args) =>
    (await import("./people/people-main.js")).peopleCommand(noun, args);

// Commands load their modules lazily: `agenthub actor …` runs inside agents, often, and should start fast
// (this file imports nothing but the usage text and the base class of the errors it prints alone).
const COMMANDS: Record<string, Command> = {
  serve: async (args) => (await import("./serve-command.js")).serveCommand(configOnly(args)),
  "join-challenge": async (args) =>
    (await import("./join-challenge-command.js")).joinChallengeCommand(configOnly(args)),
  actor: async (args) => (await import("./actor-command.js")).actorCommand(args),
  node: async (args) => (await import("./node-command.js")).nodeCommand(configOnly(args)),
  certs: async (args) => (await import("./certs-command.js")).certsCommand(args),
  demo: async () => (await import("./demo-command.js")).demoCommand(),
  ...Object.fromEntries(
    ["login", "logout", "teams", "runs", "reviews", "nodes", "agents", "webhooks", "doctor"].map((n) => [
      n,
      people(n),
    ]),
  ),
  backup: async (args) => (await import("./backup-command.js")).backupCommand(args),
  restore: async (args) => (await import("./restore-command.js")).restoreCommand(args),
};

export async function run(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--version" || first === "-v" || first === "version") {
    process.stdout.write(`agenthub ${(await import("../util/version.js")).VERSION}\n`);
    return 0;
  }
  if (first === "--help" || first === "-h" || first === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  if (first === "--node-mode") return COMMANDS.node!(rest);
  // `agenthub` and `agenthub --config X` start the hub.
  const name = first === undefined || first.startsWith("-") ? "serve" : first;
  const args = name === first ? rest : argv;
  const cmd = COMMANDS[name];
  if (!cmd) throw new UsageError(`unknown command: ${name}`);
  return cmd(args);
}

export async function main(argv: string[]): Promise<void> {
  let code: number;
  try {
    code = await run(argv);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`agenthub: ${(err as Error).message}\n\n${USAGE}`);
      code = 2;
    } else if (err instanceof OperatorError) {
      process.stderr.write(`agenthub: ${err.message}\n`);
      code = 1;
    } else {
      process.stderr.write(`agenthub: ${(err as Error).stack ?? String(err)}\n`);
      code = 1;
    }
  }
  process.exitCode = code;
}
