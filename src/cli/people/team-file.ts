import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { AppError } from "../../errors/registry.js";

/** What a team file holds: the body of POST /api/teams. */
export interface TeamFile {
  name: string;
  spec: unknown;
}

const KEYS = new Set(["name", "spec"]);

function invalid(path: string, message: string): AppError {
  return new AppError("BAD_REQUEST", { file: path }, { message: `${path}: ${message}` });
}

async function parseToml(path: string, text: string): Promise<unknown> {
  const { parse, TomlError } = await import("smol-toml");
  try {
    return parse(text);
  } catch (err) {
    if (err instanceof TomlError) {
      throw invalid(`${path}:${err.line}:${err.column}`, `TOML syntax error: ${err.message.split("\n")[0]}`);
    }
    throw err;
  }
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalid(path, `invalid JSON: ${(err as Error).message}`);
  }
}

/**
 * Reads a team file (`-` for stdin): JSON for `.json`, TOML for `.toml`, and for any other name JSON
 * when it starts with `{`, else TOML. It must hold a `name` and a `spec`, nothing else.
 */
export async function readTeamFile(path: string): Promise<TeamFile> {
  let text: string;
  if (path === "-") {
    text = "";
    process.stdin.setEncoding("utf8");
    for await (const chunk of process.stdin) text += chunk as string;
  } else {
    try {
      text = readFileSync(path, "utf8");
    } catch (err) {
      throw invalid(
        path,
        `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
  }
  const ext = extname(path).toLowerCase();
  const json = ext === ".json" || (ext !== ".toml" && text.trimStart().startsWith("{"));
  const doc = json ? parseJson(path, text) : await parseToml(path, text);
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw invalid(path, "must hold a name and a spec");
  const unknown = Object.keys(doc).filter((k) => !KEYS.has(k));
  if (unknown.length > 0) {
    throw invalid(
      path,
      `unknown key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} (a team file holds name and spec)`,
    );
  }
  const { name, spec } = doc as { name?: unknown; spec?: unknown };
  if (typeof name !== "string" || name.trim() === "") {
    throw new AppError(
      "TEAM_NAME_REQUIRED",
      { file: path },
      { message: `${path}: team name is required (name = "…")` },
    );
  }
  return { name: name.trim(), spec };
}
