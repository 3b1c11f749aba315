// The daemon's `conversations` answer applied to the model: one call paints the whole sidebar
// (last activity, unread counts, presence and previews) without fetching any conversation's history.

import type { ContactView, Model } from "./model";

/** One entry of the `conversations` result (docs/API.md): a contact's fields plus the list's. */
export interface ConversationEntry extends ContactView {
  unread: number;
  online: boolean;
  lastActivity?: string;
  preview?: string;
  previewDirection?: "in" | "out";
}

export interface ConversationsResult {
  conversations: ConversationEntry[];
  /** False when the daemon could not ask who is online: presence then stays as the events said. */
  onlineKnown: boolean;
}

/**
 * Replaces the list: people no longer listed and without loaded messages disappear; the open,
 * visible conversation keeps no unread count (what is on screen is read).
 */
export function applyConversationList(model: Model, result: ConversationsResult, reading: string | null): void {
  model.applyContacts(result.conversations.map(({ user, state, blocked, verified, keyChanged, note }) => ({ user, state, blocked, verified, keyChanged, note })));
  for (const entry of result.conversations) {
    const conversation = model.conversation(entry.user);
    conversation.unread = entry.user === reading ? 0 : Math.max(0, Math.trunc(entry.unread) || 0);
    if (result.onlineKnown) {
      conversation.online = entry.online === true;
    }

    const at = entry.lastActivity ? Date.parse(entry.lastActivity) : Number.NaN;
    if (!Number.isNaN(at)) {
      conversation.lastActivity = Math.max(conversation.lastActivity, at);
    }

    conversation.summary = typeof entry.preview === "string" && !Number.isNaN(at)
      ? { text: entry.preview, direction: entry.previewDirection === "out" ? "out" : "in", at }
      : undefined;
  }
}
