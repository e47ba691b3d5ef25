import BetterSqlite3 from "better-sqlite3";

type SqliteError = InstanceType<typeof BetterSqlite3.SqliteError>;

/**
 * What kind of constraint a write broke. A primary key is a unique key (`unique`, with
 * `primaryKey: true`); constraint codes SQLite has beyond these (trigger, rowid, datatype, …)
 * are `other`.
 */
export type ConstraintKind = "unique" | "check" | "foreign_key" | "not_null" | "other";

const KIND_BY_CODE: Readonly<Record<string, ConstraintKind>> = {
  SQLITE_CONSTRAINT_UNIQUE: "unique",
  SQLITE_CONSTRAINT_PRIMARYKEY: "unique",
  SQLITE_CONSTRAINT_CHECK: "check",
  SQLITE_CONSTRAINT_FOREIGNKEY: "foreign_key",
  SQLITE_CONSTRAINT_NOTNULL: "not_null",
};

/**
 * A write the database refused because it broke a constraint, classified by SQLite's extended
 * result code (never by the message). `table` and `columns` are filled in when SQLite names them:
 * unique and not-null failures name `table.column`, the CHECK constraints of migration 5 are named
 * `"table.column"` too; foreign-key failures name nothing. The SQLite error is the `cause`.
 */
export class StoreConstraintError extends Error {
  readonly kind: ConstraintKind;
  /** SQLite's extended result code, e.g. `SQLITE_CONSTRAINT_UNIQUE`. */
  readonly code: string;
  readonly primaryKey: boolean;
  readonly table: string | undefined;
  /** The constrained columns, in SQLite's order (several for a composite unique key). */
  readonly columns: readonly string[];
  /** The first of `columns`, for the common single-column case. */
  readonly column: string | undefined;
  /** The named index or CHECK constraint, when SQLite names one instead of columns. */
  readonly constraint: string | undefined;

  constructor(cause: SqliteError) {
    super(cause.message, { cause });
    this.name = "StoreConstraintError";
    this.code = cause.code;
    this.kind = KIND_BY_CODE[cause.code] ?? "other";
    this.primaryKey = cause.code === "SQLITE_CONSTRAINT_PRIMARYKEY";
    const where = describedTarget(cause.message);
    this.table = where.table;
    this.columns = where.columns;
    this.column = where.columns[0];
    // A CHECK constraint is reported by its name (ours are named "table.column").
    this.constraint = this.kind === "check" ? where.detail : where.constraint;
  }
}

/**
 * The constraint violation `err` is, or undefined when it is anything else (another SQLite error,
 * a JS error). Accepts an already classified error unchanged.
 */
export function classifyConstraint(err: unknown): StoreConstraintError | undefined {
  if (err instanceof StoreConstraintError) return err;
  if (err instanceof BetterSqlite3.SqliteError && err.code.startsWith("SQLITE_CONSTRAINT")) {
    return new StoreConstraintError(err);
  }
  return undefined;
}

/** True when `err` is a violation of `kind`, optionally on `table` (and `column`). */
export function isConstraintViolation(
  err: unknown,
  kind: ConstraintKind,
  where: { table?: string; column?: string } = {},
): boolean {
  const c = classifyConstraint(err);
  if (!c || c.kind !== kind) return false;
  if (where.table !== undefined && c.table !== where.table) return false;
  if (where.column !== undefined && !c.columns.includes(where.column)) return false;
  return true;
}

/**
 * SQLite's detail after "… constraint failed: ": `t.a` or `t.a, t.b` (columns), `index 'name'`
 * (an expression index), or a constraint name (`t.status` for ours). Details only; the kind never
 * depends on this text.
 */
function describedTarget(message: string): {
  table: string | undefined;
  columns: string[];
  constraint: string | undefined;
  detail: string | undefined;
} {
  const marker = "constraint failed: ";
  const i = message.indexOf(marker);
  if (i < 0) return { table: undefined, columns: [], constraint: undefined, detail: undefined };
  const detail = message.slice(i + marker.length).trim();
  const index = /^index '(.+)'$/.exec(detail);
  if (index) return { table: undefined, columns: [], constraint: index[1], detail };
  const parts = detail.split(", ").map((p) => /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/.exec(p));
  if (parts.every((m) => m !== null) && new Set(parts.map((m) => m[1])).size === 1) {
    return { table: parts[0]![1], columns: parts.map((m) => m[2]!), constraint: undefined, detail };
  }
  return { table: undefined, columns: [], constraint: detail, detail };
}
