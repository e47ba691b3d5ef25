import { join } from "node:path";
import { loadConfig } from "../config/load-config.js";
import { AppError } from "../errors/registry.js";
import { AuthService } from "../hub/auth-service.js";
import { publishChallenge } from "../hub/root-bootstrap.js";
import { openDatabase } from "../store/database.js";
import { systemClock } from "../util/clock.js";

/**
 * Makes a fresh root challenge from the hub's data dir (for when the first one expired). Safe while the
 * hub runs: SQLite WAL lets both processes write.
 */
export async function joinChallengeCommand(configPath: string | undefined): Promise<number> {
  const config = loadConfig({ path: configPath });
  const db = openDatabase(join(config.home, "agenthub.db"));
  try {
    const auth = new AuthService(db, systemClock, config.server.session_ttl_hours * 3_600_000);
    const challenge = await auth.createRootChallenge();
    process.stdout.write(publishChallenge(config.home, challenge, `http://${config.server.listen}`));
    return 0;
  } catch (err) {
    if (err instanceof AppError && err.code === "ROOT_ALREADY_INITIALIZED") {
      process.stderr.write(
        `agenthub: ${err.message}; use /api/login (root can invite users with POST /api/admin/join-challenges)\n`,
      );
      return 1;
    }
    throw err;
  } finally {
    db.close();
  }
}
