import { iso } from "../../hub/access.js";
import type { AttentionItem } from "../../hub/attention-service.js";

/** The attention list as REST answers (and its SSE frames) show it. */

function itemView(i: AttentionItem) {
  switch (i.kind) {
    case "permission":
      return { ...i, created_at: iso(i.created_at) };
    case "input_required":
      return { ...i, since: iso(i.since) };
    case "run_failed": {
      const { error_code, error_message, ...rest } = i;
      const error = error_code ? { code: error_code, message: error_message ?? "" } : null;
      return { ...rest, error, finished_at: iso(i.finished_at) };
    }
    case "node_offline":
      return { ...i, last_ok_at: iso(i.last_ok_at) };
  }
}

export function attentionListView(items: readonly AttentionItem[]) {
  return { items: items.map(itemView), count: items.length };
}
