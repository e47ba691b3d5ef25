import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseTooNewError, openDatabase } from "../../src/store/database.js";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { tempDir } from "../helpers/temp-dir.js";

let dir: ReturnType<typeof tempDir>;
afterEach(() => dir.cleanup());

describe("openDatabase", () => {
  it("applies every migration once, records user_version, and sets durability pragmas", () => {
    dir = tempDir();
    const path = join(dir.path, "a.db");
    const db = openDatabase(path);
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("synchronous", { simple: true })).toBe(2);
    expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
    db.close();
    // Re-opening applies nothing twice (a second CREATE TABLE would throw).
    openDatabase(path).close();
  });

  it("applies only the migrations a database lacks", () => {
    dir = tempDir();
    const path = join(dir.path, "b.db");
    openDatabase(path, MIGRATIONS.slice(0, 1)).close();
    const db = openDatabase(path);
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
  });

  it("refuses a database written by a newer version, changing nothing", () => {
    dir = tempDir();
    const path = join(dir.path, "c.db");
    const db = openDatabase(path);
    db.pragma("user_version = 999");
    db.close();
    expect(() => openDatabase(path)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(path)).toThrow(/schema version 999.*newer agenthub/);
  });
});
