import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layers of src/ (DESIGN.md), top to bottom: a file may import its own layer and any layer below.
 * store decodes rows into the domain's vocabularies (statuses, specs), so it sits above domain, whose
 * pure rules import neither the store nor anything with I/O.
 */
const LAYERS: readonly (readonly string[])[] = [
  ["cli"],
  ["app"],
  ["api"],
  ["grpc"],
  // Siblings: the hub reaches nodes (even the in-process `main`) only through the contracts' NodeClient.
  ["hub", "node"],
  ["contracts"],
  ["store"],
  ["domain"],
  ["config"],
  ["errors"],
];
/** Usable by every layer; imports only itself. */
const UTIL = "util";
/** Generated protobuf code: transport types for the gRPC edge and what composes it, never services. */
const GEN = "gen";
const GEN_IMPORTERS = new Set(["grpc", "app", "cli"]);

const SRC = resolve(import.meta.dirname, "../../src");

/** Why `spec` imported from `file` (a path under src/) points the wrong way; undefined when it may. */
function violation(file: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined; // packages and node: builtins
  const from = file.split(sep)[0]!;
  const target = relative(SRC, resolve(SRC, dirname(file), spec));
  if (target.startsWith("..")) return "reaches outside src/";
  const to = target.split(sep)[0]!;
  if (to === from) return undefined;
  if (from === GEN) return "generated code imports nothing of ours";
  if (from === UTIL) return `util imports only util, not ${to}/`;
  if (to === UTIL) return undefined;
  if (to === GEN)
    return GEN_IMPORTERS.has(from) ? undefined : `${from}/ may not use generated transport types`;
  const rank = (layer: string) => LAYERS.findIndex((level) => level.includes(layer));
  if (rank(from) < 0) return `${from}/ is not a layer`;
  if (rank(to) < 0) return `${to}/ is not a layer`;
  if (rank(to) === rank(from)) return `${from}/ and ${to}/ are siblings: neither imports the other`;
  return rank(to) < rank(from) ? `${from}/ is below ${to}/: imports point down only` : undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** Import and re-export statements start a line (never inside a comment line, which starts with `*` or `//`). */
const IMPORT_PATTERNS = [
  // import x from "m"; import { a, type B } from "m"; import * as m from "m"; import type { A } from "m";
  /^[ \t]*import\s+(?:type\s+)?(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s*as\s+[\w$]+)?\s*from\s*["']([^"']+)["']/gm,
  // export { a } from "m"; export type { A } from "m"; export * from "m"; export * as m from "m";
  /^[ \t]*export\s+(?:type\s+)?(?:\{[^}]*\}|\*(?:\s*as\s+[\w$]+)?)\s*from\s*["']([^"']+)["']/gm,
  // import "m";
  /^[ \t]*import\s*["']([^"']+)["']/gm,
  // await import("m")
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
];

/** Every module specifier a source text names: imports and re-exports (type-only ones too), import(). */
function importsIn(text: string): string[] {
  return IMPORT_PATTERNS.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
}

describe("layers", () => {
  it("every import in src/ points down (file: import -> why not)", () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(100);
    const wrong: string[] = [];
    for (const path of files) {
      const file = relative(SRC, path);
      for (const spec of importsIn(readFileSync(path, "utf8"))) {
        const why = violation(file, spec);
        if (why) wrong.push(`${file}: ${spec} -> ${why}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("every folder of src/ is a layer", () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const known = new Set<string>([...LAYERS.flat(), UTIL, GEN]);
    expect(folders.filter((f) => !known.has(f))).toEqual([]);
    expect(folders).toEqual(expect.arrayContaining(["app", "contracts", "grpc", "hub", "node"]));
  });

  it("flags the imports the layers forbid, and only those", () => {
    const f = (file: string) => join(...file.split("/"));
    // The rules of DESIGN.md: hub never reaches the edges or the node; node never reaches up.
    expect(violation(f("hub/x.ts"), "../api/build-app.js")).toMatch(/hub\/ is below api\//);
    expect(violation(f("hub/x.ts"), "../grpc/call-auth.js")).toMatch(/below grpc/);
    expect(violation(f("hub/x.ts"), "../node/node-runtime.js")).toMatch(/siblings/);
    expect(violation(f("node/x.ts"), "../hub/node-registry.js")).toMatch(/siblings/);
    expect(violation(f("node/x.ts"), "../grpc/call-auth.js")).toMatch(/below grpc/);
    expect(violation(f("node/x.ts"), "../app/hub-daemon.js")).toMatch(/below app/);
    expect(violation(f("domain/x.ts"), "../store/runs-repo.js")).toMatch(/below store/);
    expect(violation(f("util/x.ts"), "../config/env-overrides.js")).toMatch(/util imports only util/);
    expect(violation(f("hub/x.ts"), "../gen/agenthub/internal/v1/node_pb.js")).toMatch(/transport types/);
    expect(violation(f("hub/deep/x.ts"), "../../api/x.js")).toMatch(/below api/);
    expect(violation(f("hub/x.ts"), "../../bench/x.js")).toBe("reaches outside src/");
    // Downward, sideways within a layer, util, packages: allowed.
    expect(violation(f("app/x.ts"), "../hub/hub-services.js")).toBeUndefined();
    expect(violation(f("grpc/x.ts"), "../node/node-runtime.js")).toBeUndefined();
    expect(violation(f("grpc/x.ts"), "../gen/agenthub/internal/v1/node_pb.js")).toBeUndefined();
    expect(violation(f("hub/x.ts"), "../contracts/node-client.js")).toBeUndefined();
    expect(violation(f("hub/x.ts"), "./run-service.js")).toBeUndefined();
    expect(violation(f("store/x.ts"), "../domain/run-state.js")).toBeUndefined();
    expect(violation(f("domain/x.ts"), "../util/clock.js")).toBeUndefined();
    expect(violation(f("hub/x.ts"), "node:path")).toBeUndefined();
    expect(violation(f("hub/x.ts"), "pino")).toBeUndefined();
  });

  it("reads every kind of import a file can make, and no commented-out one", () => {
    const text = [
      'import { a } from "../api/a.js";',
      'import type { B } from "../api/b.js";',
      "import c, {",
      "  type C1,",
      "  c2,",
      '} from "../api/c.js";',
      'import * as d from "../api/d.js";',
      'export { e } from "../api/e.js";',
      'export * from "../api/f.js";',
      'export type { G } from "../api/g.js";',
      'import "../api/h.js";',
      'const i = await import("../api/i.js");',
      '// import { no } from "../api/commented.js";',
      "/**",
      ' * import { no } from "../api/in-a-doc.js";',
      " */",
      "const s = \"import { no } from '../api/in-a-string.js'\";",
    ].join("\n");
    expect(importsIn(text).sort()).toEqual(
      ["a", "b", "c", "d", "e", "f", "g", "h", "i"].map((x) => `../api/${x}.js`),
    );
  });
});
