import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import type { Schemas } from "./api/client";
import { useStream } from "./live";

export type AttentionItem = Schemas["AttentionItem"];

interface AttentionValue {
  /** undefined until the first list arrived. */
  items: AttentionItem[] | undefined;
}

const AttentionContext = createContext<AttentionValue>({ items: undefined });

/**
 * What waits for the signed-in user, live (GET /api/attention as SSE: the whole list whenever it
 * changes). Its count leads the page title on every page.
 */
export function AttentionProvider({ children, enabled }: { children: ReactNode; enabled: boolean }) {
  const [items, setItems] = useState<AttentionItem[] | undefined>(undefined);
  useStream(enabled ? "/api/attention" : null, {
    onMessage: (m) => {
      if (m.event === "attention") setItems((JSON.parse(m.data) as Schemas["AttentionList"]).items);
    },
  });
  useEffect(() => {
    if (!enabled) setItems(undefined);
  }, [enabled]);
  return <AttentionContext.Provider value={{ items }}>{children}</AttentionContext.Provider>;
}

export function useAttention(): AttentionValue {
  return useContext(AttentionContext);
}

/** Sets the page title: "(3) Run run_x · agenthub" while 3 things wait. */
export function usePageTitle(title: string): void {
  const { items } = useAttention();
  const count = items?.length ?? 0;
  useEffect(() => {
    document.title = `${count > 0 ? `(${count}) ` : ""}${title} · agenthub`;
  }, [count, title]);
}
