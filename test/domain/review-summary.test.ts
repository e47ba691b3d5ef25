import { describe, expect, it } from "vitest";
import {
  capBytes,
  compactDiff,
  mergeToolCall,
  PREVIEW_BYTES,
  summarizeToolCall,
} from "../../src/domain/review-summary.js";

describe("the tool call summary a reviewer gets", () => {
  it("shows a written file once, as a diff, with its title, kind and paths", () => {
    const content = "line 1\nline 2\n";
    const s = summarizeToolCall({
      toolCallId: "t1",
      title: "Write /w/hello.txt",
      kind: "edit",
      locations: [{ path: "/w/hello.txt" }],
      content: [{ type: "diff", path: "/w/hello.txt", oldText: null, newText: content }],
      rawInput: { file_path: "/w/hello.txt", content },
    });
    expect(s).toEqual({
      title: "Write /w/hello.txt",
      kind: "edit",
      paths: ["/w/hello.txt"],
      preview: "+++ /w/hello.txt (new file)\n+line 1\n+line 2\n+",
    });
    expect(JSON.stringify(s).split("line 1")).toHaveLength(2);
  });

  it("caps the preview at 2 KiB and says how much was left out", () => {
    const big = "x".repeat(10_000);
    const s = summarizeToolCall({
      title: "Write big",
      kind: "edit",
      content: [{ type: "diff", path: "/w/big", oldText: null, newText: big }],
    })!;
    expect(Buffer.byteLength(s.preview!.replace(/… \(\d+ more bytes\)$/, ""))).toBe(PREVIEW_BYTES);
    const header = "+++ /w/big (new file)\n+".length;
    expect(s.preview).toMatch(new RegExp(`… \\(${10_000 + header - PREVIEW_BYTES} more bytes\\)$`));
  });

  it("cuts at a character boundary", () => {
    const cut = capBytes("é".repeat(10), 5);
    expect(cut).toBe("éé… (16 more bytes)");
  });

  it("shows only the changed lines of an edit", () => {
    expect(compactDiff("/f", "a\nb\nc\nd", "a\nB\nc\nd")).toBe("--- /f (from line 2)\n-b\n+B");
  });

  it("falls back to the command, then to the input as JSON", () => {
    expect(
      summarizeToolCall({ title: "Run", kind: "execute", rawInput: { command: ["npm", "test"] } })?.preview,
    ).toBe("$ npm test");
    expect(
      summarizeToolCall({ title: "Fetch", kind: "fetch", rawInput: { url: "https://x" } })?.preview,
    ).toBe('{"url":"https://x"}');
    expect(summarizeToolCall({ title: "Think" })).toEqual({
      title: "Think",
      kind: null,
      paths: [],
      preview: null,
    });
    expect(summarizeToolCall(null)).toBeNull();
  });

  it("takes what the agent announced for the tool call before asking (Codex asks with title and paths only)", () => {
    const diff = { type: "diff", path: "/w/a.txt", oldText: null, newText: "hi\n" };
    const merged = mergeToolCall(
      [
        {
          sessionUpdate: "tool_call",
          toolCallId: "c1",
          title: "Editing files",
          kind: "edit",
          content: [diff],
        },
        { sessionUpdate: "tool_call_update", toolCallId: "c1", status: "in_progress" },
      ],
      {
        toolCallId: "c1",
        kind: "edit",
        status: "pending",
        title: "Edit files",
        locations: [{ path: "/w/a.txt" }],
      },
    );
    expect(merged).toEqual({
      toolCallId: "c1",
      title: "Edit files",
      kind: "edit",
      status: "pending",
      content: [diff],
      locations: [{ path: "/w/a.txt" }],
    });
    expect(summarizeToolCall(merged)?.preview).toBe("+++ /w/a.txt (new file)\n+hi\n+");
    expect(mergeToolCall([], null)).toBeNull();
  });
});
