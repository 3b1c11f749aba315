// Paging a conversation's history from the daemon (`history` with a cursor, API.md): the newest page
// on opening and after something was stored, the page before the oldest one shown when scrolling
// back. A long conversation is never loaded whole.

import type { Api } from "./api";
import { readMessage, type MessageView, type Model } from "./model";

/** Messages per history page. */
export const PageSize = 50;

export class HistoryPager {
  /** Per conversation: the cursor of the next older page, or null once the start was reached. */
  private readonly older = new Map<string, string | null>();
  /** Conversations with an older page being fetched (a scroll fires many events). */
  private readonly loading = new Set<string>();

  constructor(
    private readonly api: Api,
    private readonly model: Model,
  ) {}

  /**
   * Loads the newest page (`older` false) or the next older one into the model; false when there was
   * nothing to load (no page yet, already complete, or already loading). `openUser` tells which
   * conversation is on screen once the page arrived: its messages are shown, so the daemon counts them read.
   */
  async load(user: string, older: boolean, openUser: () => string | null): Promise<boolean> {
    const cursor = this.older.get(user);
    if (older && (cursor === undefined || cursor === null || this.loading.has(user))) {
      return false;
    }

    try {
      if (older) {
        this.loading.add(user);
      }

      const result = await this.api.history(user, PageSize, older ? cursor ?? undefined : undefined);
      const messages = result.messages.map(readMessage).filter((m): m is MessageView => m !== null);
      const conversation = this.model.conversation(user);
      this.model.addMessages(messages);
      if (older || !this.older.has(user)) {
        this.older.set(user, result.before ?? null);
        conversation.complete = result.before === undefined;
      }

      if (openUser() === user) {
        conversation.unread = 0;
      }

      return true;
    } finally {
      if (older) {
        this.loading.delete(user);
      }
    }
  }
}
