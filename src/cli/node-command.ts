import { NodeDaemon } from "../app/node-daemon.js";
import { loadConfig } from "../config/load-config.js";
import { createLogger } from "../util/logger.js";
import { runUntilSignal, warnUnknownEnv } from "./run-until-signal.js";

/** `agenthub --node-mode` / `agenthub node`: runs a node daemon until SIGTERM/SIGINT. */
export async function nodeCommand(configPath: string | undefined): Promise<number> {
  const config = loadConfig({ path: configPath });
  const logger = createLogger({ level: config.logging.level, format: config.logging.format });
  warnUnknownEnv(logger);
  const node = new NodeDaemon(config, logger);
  await node.start();
  return runUntilSignal(logger, "node", () => node.stop());
}
