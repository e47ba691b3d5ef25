import { loadConfig } from "../config/load-config.js";
import { HubDaemon } from "../hub/hub-daemon.js";
import { createLogger } from "../util/logger.js";

/** Runs the hub until SIGTERM/SIGINT, then drains and exits 0. */
export async function serveCommand(configPath: string | undefined): Promise<number> {
  const config = loadConfig({ path: configPath });
  const logger = createLogger({ level: config.logging.level, format: config.logging.format });
  const hub = new HubDaemon({ config, logger });
  await hub.start();
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ component: "hub", signal }, "shutting down");
      hub.stop().then(
        () => resolve(0),
        (err: unknown) => {
          logger.error({ err }, "shutdown failed");
          resolve(1);
        },
      );
    };
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
  });
}
