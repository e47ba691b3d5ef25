import { isTerminal } from "../../domain/run-state.js";
import type { StepFailureCode } from "../../domain/step-failure.js";
import type { RunService } from "../run-service.js";

/**
 * Fails a step for the engine, unless it already finished or its run did (a late timeout, a second
 * failure report, a node lost after the run ended): the first result of a step stands.
 */
export function failStep(
  runs: RunService,
  runId: string,
  stepKey: string,
  code: StepFailureCode,
  message: string,
): boolean {
  const step = runs.runs.step(runId, stepKey);
  const run = runs.runs.run(runId);
  if (!step || !run || isTerminal(step.status) || isTerminal(run.status)) return false;
  runs.transitionStep({ kind: "system" }, runId, stepKey, { action: "fail", errorText: message, code });
  return true;
}
