import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from "react";

/**
 * The console's routes (the hub serves index.html for each: src/api/console-static.ts CONSOLE_PAGES).
 * History-API navigation without a library: a path, a way to go elsewhere, and links.
 */
export type Route =
  | { page: "attention" }
  | { page: "login" }
  | { page: "join" }
  | { page: "teams" }
  | { page: "new-team" }
  | { page: "team"; id: string }
  | { page: "run"; id: string }
  | { page: "agents" }
  | { page: "agent"; id: string }
  | { page: "nodes" }
  | { page: "admin" }
  | { page: "not-found" };

export function parseRoute(path: string): Route {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const [a, b, ...rest] = parts;
  if (rest.length > 0) return { page: "not-found" };
  if (a === undefined) return { page: "attention" };
  if (b === undefined) {
    const single: Record<string, Route> = {
      login: { page: "login" },
      join: { page: "join" },
      teams: { page: "teams" },
      agents: { page: "agents" },
      nodes: { page: "nodes" },
      admin: { page: "admin" },
    };
    return single[a] ?? { page: "not-found" };
  }
  if (a === "teams") return b === "new" ? { page: "new-team" } : { page: "team", id: b };
  if (a === "runs") return { page: "run", id: b };
  if (a === "agents") return { page: "agent", id: b };
  return { page: "not-found" };
}

const listeners = new Set<() => void>();
window.addEventListener("popstate", () => {
  for (const fn of listeners) fn();
});

export function navigate(to: string, replace = false): void {
  if (to === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  window.scrollTo(0, 0);
  for (const fn of listeners) fn();
}

export function usePath(): string {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => window.location.pathname,
  );
}

export const paths = {
  team: (id: string) => `/teams/${encodeURIComponent(id)}`,
  run: (id: string) => `/runs/${encodeURIComponent(id)}`,
  agent: (id: string) => `/agents/${encodeURIComponent(id)}`,
};

/** A link that navigates in-page (a modified or middle click keeps the browser's behaviour). */
export function Link({ to, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a {...rest} href={to} onClick={onClick} />;
}
