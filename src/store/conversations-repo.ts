import type { Route } from "../domain/mailbox-routing.js";
import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

/** A task's one conversation. */
export interface Conversation {
  id: string;
  task_id: string;
  created_at: number;
}

/** A message of a task conversation: route typed, payload decoded. */
export interface ConversationMessage {
  id: string;
  conversation_id: string;
  /** 1, 2, … per conversation, in the order the messages were stored. */
  seq: number;
  from_actor_id: string;
  route: Route;
  to_actor_id: string | null;
  /** Any JSON value; null when none was given. */
  payload: unknown;
  created_at: number;
}

interface MessageRow extends Omit<ConversationMessage, "route" | "payload"> {
  route: string;
  payload_json: string;
}

// The route column has a CHECK constraint (migration 6), so a stored route is a Route.
function decodeMessage(r: MessageRow): ConversationMessage {
  const { payload_json, route, ...rest } = r;
  return { ...rest, route: route as Route, payload: JSON.parse(payload_json) as unknown };
}

export class ConversationsRepo {
  constructor(private readonly db: Database) {}

  insert(c: Conversation): void {
    prepareCached(
      this.db,
      "INSERT INTO conversations (id, task_id, created_at) VALUES (@id, @task_id, @created_at)",
    ).run(c);
  }

  byTask(taskId: string): Conversation | undefined {
    return prepareCached(this.db, "SELECT * FROM conversations WHERE task_id = ?").get(taskId) as
      | Conversation
      | undefined;
  }

  addMessage(m: Omit<ConversationMessage, "seq">): ConversationMessage {
    const { payload, ...rest } = m;
    const row = prepareCached(
      this.db,

      `INSERT INTO conversation_messages (id, conversation_id, seq, from_actor_id, route, to_actor_id, payload_json, created_at)
         VALUES (@id, @conversation_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM conversation_messages WHERE conversation_id = @conversation_id),
           @from_actor_id, @route, @to_actor_id, @payload_json, @created_at)
         RETURNING *`,
    ).get({ ...rest, payload_json: JSON.stringify(payload ?? null) }) as MessageRow;
    return decodeMessage(row);
  }

  messages(conversationId: string, afterSeq: number, limit: number): ConversationMessage[] {
    const rows = prepareCached(
      this.db,

      "SELECT * FROM conversation_messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    ).all(conversationId, afterSeq, limit) as MessageRow[];
    return rows.map(decodeMessage);
  }

  message(conversationId: string, id: string): ConversationMessage | undefined {
    const row = prepareCached(
      this.db,
      "SELECT * FROM conversation_messages WHERE conversation_id = ? AND id = ?",
    ).get(conversationId, id) as MessageRow | undefined;
    return row && decodeMessage(row);
  }
}
