import { MAX_EVENT_TEXT_BYTES, truncateText } from "./event-caps.js";

/** A turn's reply: its final agent message (cut to the cap), and how many messages the turn had. */
export interface TurnReply {
  /** The last agent message with text, at most MAX_EVENT_TEXT_BYTES (truncated with a marker). */
  text: string;
  /** UTF-8 size of that whole message, when `text` was truncated. */
  truncatedBytes?: number | undefined;
  /** Agent messages of the turn (those with text). */
  messages: number;
}

interface Message {
  id: string | null;
  /** Kept up to the cap. */
  text: string;
  /** Its whole UTF-8 size. */
  bytes: number;
  /** Has more than whitespace. */
  hasText: boolean;
}

/**
 * Tells a turn's agent messages apart as their chunks stream in. Agents glue a turn's messages without
 * separators ("I will write it.Done: wrote it."), so a new message starts when the chunk's `messageId`
 * changes (when the agent gives one) or after a tool call; the turn's reply is its last message that
 * has text. Only the current and the last non-empty message are kept, each up to the event text cap.
 */
export class TurnMessages {
  private current: Message | undefined;
  private lastWithText: Message | undefined;
  private count = 0;
  /** A tool call came after the current message's last chunk: the next chunk starts another. */
  private toolSince = false;

  chunk(text: string, messageId: string | null | undefined): void {
    const id = messageId ?? null;
    const cur = this.current;
    if (!cur || this.toolSince || (id !== null && cur.id !== null && id !== cur.id)) {
      this.current = { id, text: "", bytes: 0, hasText: false };
      this.toolSince = false;
    } else if (cur.id === null && id !== null) {
      cur.id = id;
    }
    const m = this.current!;
    m.bytes += Buffer.byteLength(text, "utf8");
    const room = MAX_EVENT_TEXT_BYTES - m.text.length;
    if (room > 0) m.text += text.length <= room ? text : text.slice(0, room);
    if (!m.hasText && text.trim() !== "") {
      m.hasText = true;
      this.count++;
    }
    if (m.hasText) this.lastWithText = m;
  }

  /** A tool call (or its update) streamed: the agent's next text is a new message. */
  toolCall(): void {
    if (this.current) this.toolSince = true;
  }

  reply(): TurnReply {
    const m = this.lastWithText;
    if (!m) return { text: "", messages: 0 };
    if (m.bytes <= MAX_EVENT_TEXT_BYTES) return { text: m.text, messages: this.count };
    return {
      text: truncateText(m.text, MAX_EVENT_TEXT_BYTES, m.bytes),
      truncatedBytes: m.bytes,
      messages: this.count,
    };
  }
}
