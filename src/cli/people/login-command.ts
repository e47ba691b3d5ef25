import { UsageError } from "../usage.js";
import { credentialsPath, readCredentials, removeLogin, saveLogin } from "./credentials.js";
import { HubClient } from "./hub-client.js";
import { HubError } from "./hub-error.js";
import type { Session } from "./hub-types.js";
import { print, printJson } from "./output.js";
import { promptHidden, promptLine, readStdinSecret } from "./password-input.js";
import { parseFlags, positionals } from "./people-flags.js";
import { resolveHub } from "./session.js";

const LOGIN_USAGE = "agenthub login [--hub URL] [--username U] [--password-stdin]";

/** The password: from stdin (`--password-stdin`), else asked on the terminal without echo. */
async function password(fromStdin: boolean | undefined): Promise<string | undefined> {
  if (fromStdin) return readStdinSecret();
  if (!process.stdin.isTTY) {
    throw new UsageError("no terminal to ask the password on: pass it on stdin with --password-stdin");
  }
  return promptHidden("password: ");
}

/**
 * `agenthub login`: exchanges a username and password for a session token (POST /api/login) and keeps
 * it in the credentials file (0600, per hub URL); that hub becomes the default one.
 */
export async function loginCommand(args: string[]): Promise<number> {
  const { values, positionals: rest } = parseFlags(args, {
    username: { type: "string", short: "u" },
    "password-stdin": { type: "boolean" },
  });
  positionals(rest, [], LOGIN_USAGE);
  const hub = resolveHub(values.hub);
  let username = values.username;
  if (!username) {
    if (values["password-stdin"] || !process.stdin.isTTY) {
      throw new UsageError(`--username is required when stdin is not a terminal; usage: ${LOGIN_USAGE}`);
    }
    username = await promptLine(`username for ${hub}: `);
  }
  const pw = await password(values["password-stdin"]);
  if (pw === undefined) return 130;
  const s = await new HubClient(hub).post<Session>("/api/login", { username, password: pw });
  const path = credentialsPath();
  saveLogin(path, hub, { token: s.token, username: s.user.username, expires_at: s.expires_at });
  if (values.json) {
    printJson({ hub, user: s.user, expires_at: s.expires_at, credentials: path });
  } else {
    print(
      `logged in to ${hub} as ${s.user.username}${s.user.is_root ? " (root)" : ""}; the session lasts until ${s.expires_at}`,
    );
  }
  return 0;
}

/** `agenthub logout`: revokes the stored session on the hub (POST /api/logout) and forgets it. */
export async function logoutCommand(args: string[]): Promise<number> {
  const { values, positionals: rest } = parseFlags(args, {});
  positionals(rest, [], "agenthub logout [--hub URL]");
  const hub = resolveHub(values.hub);
  const path = credentialsPath();
  const token = readCredentials(path).hubs[hub]?.token ?? (process.env.AGENTHUB_TOKEN || undefined);
  let revoked = false;
  if (token) {
    try {
      await new HubClient(hub, token).post("/api/logout");
      revoked = true;
    } catch (err) {
      // A token the hub no longer knows (expired, revoked) is forgotten all the same.
      if (!(err instanceof HubError && err.status === 401)) throw err;
    }
  }
  const forgotten = removeLogin(path, hub);
  if (values.json) printJson({ hub, revoked, forgotten });
  else if (!token) print(`not logged in to ${hub}`);
  else print(`logged out of ${hub}`);
  return 0;
}
