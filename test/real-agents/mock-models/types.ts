/** What a scripted mock model answers to one model request. */
export type MockReply =
  | { kind: "text"; text: string }
  | {
      kind: "tool_call";
      name: string;
      /** An object for a JSON function tool; a string for a free-form tool (codex's apply_patch). */
      input: Record<string, unknown> | string;
      /** Text the model says before calling the tool. */
      text?: string;
    }
  | { kind: "error"; status: number; message: string };

/** Token counts a mock reports with a reply (the agents turn them into usage updates). */
export interface MockUsage {
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
}

/** One HTTP request a mock model server received. */
export interface RecordedRequest {
  method: string;
  /** Path with the query string, e.g. `/v1/messages?beta=true`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (undefined when there was none or it was not JSON). */
  body: unknown;
  /** Whether this request took a reply from the script (a turn request) or got the auxiliary one. */
  scripted: boolean;
  /** The reply it got, when it took one from the script. */
  reply?: MockReply;
}

export const text = (t: string): MockReply => ({ kind: "text", text: t });

export const toolCall = (name: string, input: Record<string, unknown> | string, say?: string): MockReply =>
  say === undefined ? { kind: "tool_call", name, input } : { kind: "tool_call", name, input, text: say };

export const failure = (status: number, message: string): MockReply => ({ kind: "error", status, message });
