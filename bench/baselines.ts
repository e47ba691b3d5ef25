import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import BetterSqlite3 from "better-sqlite3";
import { clientChannelOptions } from "../src/grpc/channel-options.js";
import { identity } from "./baseline-defs.js";
import { type Proc, spawnNode, tempDir } from "./procs.js";

const SERVER_JS = join(import.meta.dirname, "baseline-server.js");

/** Starts a baseline server process (see baseline-server.ts); resolves with its port. */
export async function startBaseline(
  mode: "echo" | "stream",
  certDir: string,
): Promise<{ proc: Proc; port: number }> {
  const proc = spawnNode(SERVER_JS, [mode, certDir], { PATH: process.env.PATH });
  const port = Number((await proc.waitFor(/listening (\d+)/))[1]);
  return { proc, port };
}

/** A bare grpc-js client of the echo baseline, trusting `caCertPath`, with the project's client keepalive options. */
export function echoClient(
  port: number,
  caCertPath: string,
): { call: () => Promise<Buffer>; close: () => void } {
  const client = new grpc.Client(
    `127.0.0.1:${port}`,
    grpc.credentials.createSsl(readFileSync(caCertPath)),
    clientChannelOptions(),
  );
  const empty = Buffer.alloc(0);
  return {
    call: () =>
      new Promise((resolve, reject) => {
        client.makeUnaryRequest(
          "/bench.Echo/Echo",
          identity,
          identity,
          empty,
          new grpc.Metadata(),
          { deadline: Date.now() + 10_000 },
          (err, res) => (err ? reject(err) : resolve(res!)),
        );
      }),
    close: () => client.close(),
  };
}

/**
 * A raw better-sqlite3 database with the project's durability settings (WAL, synchronous=FULL) in a
 * fresh temp dir (same filesystem as the hub's data dir), with a table shaped like agent_events /
 * mailbox rows.
 */
export function rawDb(): {
  db: BetterSqlite3.Database;
  insertOne: (i: number) => void;
  insertMessage: (i: number, recipients: number) => void;
  close: () => void;
} {
  const dir = tempDir("agenthub-bench-sqlite-").path;
  const db = new BetterSqlite3(join(dir, "raw.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec(`
    CREATE TABLE rows (id TEXT PRIMARY KEY, run_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
                       payload_json TEXT NOT NULL, created_at INTEGER NOT NULL);
    CREATE TABLE deliveries (message_id TEXT NOT NULL, recipient_id TEXT NOT NULL, status TEXT NOT NULL,
                             PRIMARY KEY (message_id, recipient_id));
  `);
  const ins = db.prepare(
    "INSERT INTO rows (id, run_id, seq, kind, payload_json, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const del = db.prepare(
    "INSERT INTO deliveries (message_id, recipient_id, status) VALUES (?, ?, 'pending')",
  );
  const payload = JSON.stringify({ text: "benchmark message" });
  let n = 0;
  const insertOne = (i: number) => {
    ins.run(`row_${++n}`, "run_bench", i, "message", payload, Date.now());
  };
  const insertMessage = db.transaction((i: number, recipients: number) => {
    const id = `msg_${++n}`;
    ins.run(id, "run_bench", i, "message", payload, Date.now());
    for (let r = 0; r < recipients; r++) del.run(id, `m${r}`);
  });
  return { db, insertOne, insertMessage: (i, r) => insertMessage(i, r), close: () => db.close() };
}
