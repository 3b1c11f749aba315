// The web app's state: contacts, conversations and messages, updated from API results and events.
// Pure logic (no DOM), so it is unit-tested under node.

import { time } from "./format";
import type { NotifyRequest } from "./notifications";

export type MessageState = "pending" | "sent" | "delivered" | "read" | "failed";
export type ContactState = "contact" | "request sent" | "request received" | "none";

export interface MessageView {
  id: string;
  peer: string;
  direction: "in" | "out";
  text: string;
  sentAt: string;
  state: MessageState;
  /** For file messages: what the message says about its file (never its key). */
  file?: FileInfo;
}

export interface FileInfo {
  name: string;
  size: number;
}

export interface ContactView {
  user: string;
  state: ContactState;
  blocked: boolean;
  verified: boolean;
  keyChanged: boolean;
  note?: string;
}

export interface Conversation {
  user: string;
  contact: ContactView;
  messages: MessageView[];
  unread: number;
  online: boolean;
  typing: boolean;
  lastActivity: number;
  /** True once the oldest page was loaded (nothing older to fetch). */
  complete: boolean;
  /** The daemon's preview of the latest message, for a conversation whose messages are not loaded. */
  summary?: { text: string; direction: "in" | "out"; at: number };
}

/** What an event changed, for the view (re-render) and notifications (new message or request). */
export interface Change {
  user?: string;
  notify?: NotifyRequest;
  connected?: boolean;
  contactsChanged?: boolean;
}

const StateRank: Record<MessageState, number> = { failed: -1, pending: 0, sent: 1, delivered: 2, read: 3 };

function isString(value: unknown): value is string {
  return typeof value === "string";
}

/** Reads a message object from the API (a `message` event or a history entry); null when malformed. */
export function readMessage(raw: Record<string, unknown>): MessageView | null {
  const direction = raw.direction === "out" ? "out" : raw.direction === "in" ? "in" : null;
  const peer = direction === "out" ? raw.to : raw.from;
  if (!direction || !isString(peer) || !isString(raw.id) || !isString(raw.text) || !isString(raw.sentAt)) {
    return null;
  }

  const state = isString(raw.state) && raw.state in StateRank ? (raw.state as MessageState) : "sent";
  const message: MessageView = { id: raw.id, peer, direction, text: raw.text, sentAt: raw.sentAt, state };
  const file = raw.file as Record<string, unknown> | undefined;
  if (file && typeof file === "object" && isString(file.name) && typeof file.size === "number" && file.size >= 0) {
    message.file = { name: file.name, size: file.size };
  }

  return message;
}

export class Model {
  readonly conversations = new Map<string, Conversation>();
  me = "";

  conversation(user: string): Conversation {
    let conversation = this.conversations.get(user);
    if (!conversation) {
      conversation = {
        user,
        contact: { user, state: "none", blocked: false, verified: false, keyChanged: false },
        messages: [],
        unread: 0,
        online: false,
        typing: false,
        lastActivity: 0,
        complete: false,
      };
      this.conversations.set(user, conversation);
    }

    return conversation;
  }

  /** Replaces the contact list (people no longer listed and without messages disappear). */
  applyContacts(contacts: ContactView[]): void {
    const listed = new Set(contacts.map((c) => c.user));
    for (const [user, conversation] of this.conversations) {
      if (!listed.has(user)) {
        if (conversation.messages.length === 0 && conversation.summary === undefined) {
          this.conversations.delete(user);
        } else {
          conversation.contact = { ...conversation.contact, state: "none" };
        }
      }
    }

    for (const contact of contacts) {
      this.conversation(contact.user).contact = contact;
    }
  }

  /** The contacts online now (a status answer); may come before or after the contact list. */
  applyOnline(users: string[]): void {
    const online = new Set(users);
    for (const conversation of this.conversations.values()) {
      conversation.online = online.has(conversation.user);
    }

    for (const user of online) {
      this.conversation(user).online = true;
    }
  }

  /** Adds or updates messages (deduplicated by id; a state only moves forward); keeps time order. */
  addMessages(messages: MessageView[], options: { older?: boolean } = {}): void {
    const touched = new Set<Conversation>();
    for (const message of messages) {
      const conversation = this.conversation(message.peer);
      const existing = conversation.messages.find((m) => m.id === message.id);
      if (existing) {
        if (StateRank[message.state] > StateRank[existing.state]) {
          existing.state = message.state;
        }

        continue;
      }

      conversation.messages.push({ ...message });
      conversation.lastActivity = Math.max(conversation.lastActivity, time(message.sentAt));
      touched.add(conversation);
    }

    for (const conversation of touched) {
      conversation.messages.sort((a, b) => time(a.sentAt) - time(b.sentAt));
      if (options.older === false) {
        conversation.complete = true;
      }
    }
  }

  /** Marks the given outgoing messages delivered or read (receipts never move a state back). */
  applyReceipt(user: string, ids: string[], state: "delivered" | "read"): void {
    const wanted = new Set(ids);
    for (const message of this.conversation(user).messages) {
      if (wanted.has(message.id) && StateRank[state] > StateRank[message.state]) {
        message.state = state;
      }
    }
  }

  /** Applies one `event` notification; `openUser` is the conversation on screen (its messages are read). */
  applyEvent(event: Record<string, unknown>, openUser: string | null, visible: boolean): Change {
    const user = isString(event.user) ? event.user : undefined;
    switch (event.type) {
      case "message": {
        const message = readMessage(event);
        if (!message) {
          return {};
        }

        const conversation = this.conversation(message.peer);
        const isNew = !conversation.messages.some((m) => m.id === message.id);
        this.addMessages([message]);
        conversation.typing = message.direction === "in" ? false : conversation.typing;
        if (isNew && message.direction === "in") {
          const reading = openUser === message.peer && visible;
          if (!reading) {
            conversation.unread++;
          }

          return reading ? { user: message.peer } : { user: message.peer, notify: { kind: "message", title: message.peer, body: message.text } };
        }

        return { user: message.peer };
      }
      case "delivered":
      case "read":
        if (user && Array.isArray(event.ids)) {
          this.applyReceipt(user, event.ids.filter(isString), event.type);
        }

        return { user };
      case "typing":
        if (user) {
          this.conversation(user).typing = event.typing === true;
        }

        return { user };
      case "presence":
        if (user) {
          const conversation = this.conversation(user);
          conversation.online = event.online === true;
          if (!conversation.online) {
            conversation.typing = false;
          }
        }

        return { user };
      case "contact-request":
        if (user) {
          const conversation = this.conversation(user);
          conversation.contact = { ...conversation.contact, state: "request received", note: isString(event.note) ? event.note : undefined };
          conversation.lastActivity = Date.now();
          return { user, contactsChanged: true, notify: { kind: "request", title: user, body: "wants to be your contact" } };
        }

        return {};
      case "contact-accepted":
      case "contact-declined":
      case "contact-removed":
        return { user, contactsChanged: true };
      case "key-changed":
        if (user) {
          const conversation = this.conversation(user);
          conversation.contact = { ...conversation.contact, keyChanged: true, verified: false };
        }

        return { user };
      case "connection":
        return { connected: event.connected === true };
      default:
        return { user };
    }
  }

  /** The sidebar order: incoming requests first, then by last activity (newest first), then by name. */
  ordered(): Conversation[] {
    const rank = (c: Conversation) => (c.contact.state === "request received" ? 0 : 1);
    return [...this.conversations.values()]
      .filter((c) => c.contact.state !== "none" || c.messages.length > 0 || c.summary !== undefined)
      .sort((a, b) => rank(a) - rank(b) || b.lastActivity - a.lastActivity || a.user.localeCompare(b.user));
  }

  /** Adds a message the user is sending, shown as pending until the daemon confirms it. */
  addPending(user: string, text: string, now: Date): MessageView {
    const message: MessageView = {
      id: `pending-${now.getTime()}-${Math.random().toString(16).slice(2)}`,
      peer: user,
      direction: "out",
      text,
      sentAt: now.toISOString(),
      state: "pending",
    };
    this.addMessages([message]);
    return message;
  }

  /** Replaces a pending message by the stored one (or marks it failed). */
  settlePending(pendingId: string, user: string, stored: { id: string } | null): void {
    const conversation = this.conversation(user);
    const index = conversation.messages.findIndex((m) => m.id === pendingId);
    if (index < 0) {
      return;
    }

    if (!stored) {
      conversation.messages[index].state = "failed";
      return;
    }

    if (conversation.messages.some((m) => m.id === stored.id)) {
      conversation.messages.splice(index, 1); // the event for it arrived first
    } else {
      conversation.messages[index] = { ...conversation.messages[index], id: stored.id, state: "sent" };
    }
  }
}
