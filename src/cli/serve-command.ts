import { HubDaemon } from "../app/hub-daemon.js";
import { loadConfig } from "../config/load-config.js";
import { createLogger } from "../util/logger.js";
import { runUntilSignal, warnUnknownEnv } from "./run-until-signal.js";

/** Runs the hub until SIGTERM/SIGINT, then drains and exits 0. */
export async function serveCommand(configPath: string | undefined): Promise<number> {
  const config = loadConfig({ path: configPath });
  const logger = createLogger({ level: config.logging.level, format: config.logging.format });
  warnUnknownEnv(logger);
  const hub = new HubDaemon({ config, logger });
  await hub.start();
  return runUntilSignal(logger, "hub", () => hub.stop());
}
