/**
 * What a turn id says (the executor's ids: `step|<run>|<attempt>|<step_key>` and
 * `mail|<run>|<seq>|<member>`); other ids are shown as they are.
 */
export function turnLabel(turnId: unknown): { text: string; runId?: string } {
  if (typeof turnId !== "string") return { text: "a turn" };
  const [kind, runId, num, ...rest] = turnId.split("|");
  const tail = rest.join("|");
  if (kind === "step" && runId && tail) return { text: `step ${tail} (attempt ${num})`, runId };
  if (kind === "mail" && runId && tail) return { text: `mail for ${tail}`, runId };
  return { text: turnId };
}
