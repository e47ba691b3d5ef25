import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

export interface ConversationRow {
  id: string;
  task_id: string;
  created_at: number;
}

export interface ConversationMessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  from_actor_id: string;
  route: string;
  to_actor_id: string | null;
  payload_json: string;
  created_at: number;
}

export class ConversationsRepo {
  constructor(private readonly db: Database) {}

  insert(c: ConversationRow): void {
    prepareCached(
      this.db,
      "INSERT INTO conversations (id, task_id, created_at) VALUES (@id, @task_id, @created_at)",
    ).run(c);
  }

  byTask(taskId: string): ConversationRow | undefined {
    return prepareCached(this.db, "SELECT * FROM conversations WHERE task_id = ?").get(taskId) as
      | ConversationRow
      | undefined;
  }

  addMessage(m: Omit<ConversationMessageRow, "seq">): ConversationMessageRow {
    return prepareCached(
      this.db,

      `INSERT INTO conversation_messages (id, conversation_id, seq, from_actor_id, route, to_actor_id, payload_json, created_at)
         VALUES (@id, @conversation_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM conversation_messages WHERE conversation_id = @conversation_id),
           @from_actor_id, @route, @to_actor_id, @payload_json, @created_at)
         RETURNING *`,
    ).get(m) as ConversationMessageRow;
  }

  messages(conversationId: string, afterSeq: number, limit: number): ConversationMessageRow[] {
    return prepareCached(
      this.db,

      "SELECT * FROM conversation_messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    ).all(conversationId, afterSeq, limit) as ConversationMessageRow[];
  }

  message(conversationId: string, id: string): ConversationMessageRow | undefined {
    return prepareCached(
      this.db,
      "SELECT * FROM conversation_messages WHERE conversation_id = ? AND id = ?",
    ).get(conversationId, id) as ConversationMessageRow | undefined;
  }
}
