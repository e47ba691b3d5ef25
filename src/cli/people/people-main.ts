import { AppError } from "../../errors/registry.js";
import { UsageError } from "../usage.js";
import { EXIT, errorLine, exitCodeOf } from "./exit-codes.js";
import { HubError } from "./hub-error.js";

interface Noun {
  run: (args: string[]) => Promise<number>;
  usage: string;
}

// Each noun's module loads only when that noun runs.
const NOUNS: Record<string, () => Promise<Noun>> = {
  login: async () => ({
    run: (await import("./login-command.js")).loginCommand,
    usage: "usage: agenthub login [--hub URL] [--username U] [--password-stdin]",
  }),
  logout: async () => ({
    run: (await import("./login-command.js")).logoutCommand,
    usage: "usage: agenthub logout [--hub URL]",
  }),
  teams: async () => {
    const m = await import("./teams-command.js");
    return { run: m.teamsCommand, usage: m.TEAMS_USAGE };
  },
  runs: async () => {
    const m = await import("./runs-command.js");
    return { run: m.runsCommand, usage: m.RUNS_USAGE };
  },
  reviews: async () => {
    const m = await import("./reviews-command.js");
    return { run: m.reviewsCommand, usage: m.REVIEWS_USAGE };
  },
  nodes: async () => {
    const m = await import("./nodes-command.js");
    return { run: m.nodesCommand, usage: m.NODES_USAGE };
  },
  agents: async () => {
    const m = await import("./agents-command.js");
    return { run: m.agentsCommand, usage: m.AGENTS_USAGE };
  },
  webhooks: async () => {
    const m = await import("./webhooks-command.js");
    return { run: m.webhooksCommand, usage: m.WEBHOOKS_USAGE };
  },
  doctor: async () => {
    const m = await import("./doctor-command.js");
    return { run: m.doctorCommand, usage: m.DOCTOR_USAGE };
  },
};

const isHelp = (a: string | undefined) => a === "help" || a === "--help" || a === "-h";

/**
 * The people's CLI (`agenthub <noun> <verb>`): runs one noun's command. A usage mistake prints the
 * noun's usage (exit 2); an error of the hub or of the CLI prints its code and message on one line to
 * stderr, with the exit code documented in `agenthub help`.
 */
export async function peopleCommand(noun: string, args: string[]): Promise<number> {
  const load = NOUNS[noun];
  if (!load) throw new UsageError(`unknown command: ${noun}`);
  const n = await load();
  if (isHelp(args[0]) || args.includes("--help")) {
    process.stdout.write(`${n.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await n.run(args);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`agenthub: ${(err as Error).message}\n\n${n.usage}\n`);
      return EXIT.usage;
    }
    if (err instanceof HubError || err instanceof AppError) {
      process.stderr.write(`agenthub: ${errorLine(err)}\n`);
      return exitCodeOf(err);
    }
    throw err;
  }
}
