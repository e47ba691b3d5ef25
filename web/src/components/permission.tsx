import { api, type Schemas, unwrap } from "../api/client";
import { ErrorText, useAction } from "./common";
import { type ToolCallLike, ToolCallView } from "./tool-call";

type Option = Schemas["PermissionRequest"]["options"][number];

/** Which request to answer: a run's review (by review id) or an agent's own request. */
export interface PermissionTarget {
  id: string;
  agent_id: string;
  run_id: string | null;
}

export async function answerPermission(t: PermissionTarget, optionId: string): Promise<void> {
  if (t.run_id) {
    await unwrap(
      api.POST("/api/runs/{id}/permission-reviews/{review_id}/respond", {
        params: { path: { id: t.run_id, review_id: t.id } },
        body: { option_id: optionId },
      }),
    );
  } else {
    await unwrap(
      api.POST("/api/agents/{id}/permissions/{pid}/respond", {
        params: { path: { id: t.agent_id, pid: t.id } },
        body: { option_id: optionId },
      }),
    );
  }
}

function optionClass(kind: string): string {
  return kind.startsWith("allow") ? "primary" : kind.startsWith("reject") ? "danger" : "";
}

/** A pending permission request: what the tool call wants, and its options as buttons. */
export function PermissionPrompt({
  target,
  toolCall,
  options,
  onAnswered,
}: {
  target: PermissionTarget;
  toolCall: unknown;
  options: Option[];
  onAnswered?: () => void;
}) {
  const act = useAction(async (optionId: string) => {
    await answerPermission(target, optionId);
    onAnswered?.();
  });
  const call = (toolCall ?? {}) as ToolCallLike;
  return (
    <div className="permission">
      <ToolCallView call={call} />
      <fieldset className="options" disabled={act.pending}>
        <legend className="sr-only">Answer the permission request {call.title ?? target.id}</legend>
        {options.map((o) => (
          <button
            key={o.option_id}
            type="button"
            className={optionClass(o.kind)}
            onClick={() => void act.run(o.option_id)}
          >
            {o.name || o.option_id}
            <span className="muted small"> ({o.kind.replaceAll("_", " ")})</span>
          </button>
        ))}
      </fieldset>
      <ErrorText error={act.error} />
    </div>
  );
}
