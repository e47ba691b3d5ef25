export interface SseEvent {
  id: string | undefined;
  event: string | undefined;
  data: { seq: number; kind: string; data: Record<string, unknown> };
}

/** A live SSE connection; `next(pred)` resolves with the first event (already received or future) matching. */
export async function openSse(url: string, headers: Record<string, string> = {}) {
  const ctrl = new AbortController();
  const res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: ctrl.signal });
  if (res.status !== 200) throw new Error(`SSE ${res.status}: ${await res.text()}`);
  const events: SseEvent[] = [];
  const waiters: { pred: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  let comments = 0;
  const pump = (async () => {
    const decoder = new TextDecoder();
    let buf = "";
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let i = buf.indexOf("\n\n");
        while (i >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          i = buf.indexOf("\n\n");
          if (block.startsWith(":")) {
            comments++;
            continue;
          }
          const fields: Record<string, string> = {};
          for (const line of block.split("\n")) {
            const c = line.indexOf(": ");
            if (c > 0) fields[line.slice(0, c)] = line.slice(c + 2);
          }
          if (!fields.data) continue;
          const e: SseEvent = { id: fields.id, event: fields.event, data: JSON.parse(fields.data) };
          events.push(e);
          for (const w of [...waiters]) {
            if (w.pred(e)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(e);
            }
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    comments: () => comments,
    next: (pred: (e: SseEvent) => boolean) =>
      new Promise<SseEvent>((resolve) => {
        const found = events.find(pred);
        if (found) resolve(found);
        else waiters.push({ pred, resolve });
      }),
    close: async () => {
      ctrl.abort();
      await pump;
    },
  };
}
