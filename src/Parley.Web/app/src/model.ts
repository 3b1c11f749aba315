// The web app's state: contacts, conversations and messages, updated from API results and events.
// Pure logic (no DOM), so it is unit-tested under node.

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

function time(iso: string): number {
  const value = Date.parse(iso);
  return Number.isNaN(value) ? 0 : value;
}

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

/** A day heading and the messages of that day (local time), in order. */
export interface DayGroup {
  label: string;
  messages: MessageView[];
}

function dayKey(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

/** "Today", "Yesterday", or the date (with the year when it is not this year). */
export function formatDay(iso: string, now: Date): string {
  const date = new Date(time(iso));
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (dayKey(date) === dayKey(now)) {
    return "Today";
  }

  if (dayKey(date) === dayKey(yesterday)) {
    return "Yesterday";
  }

  const options: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short" };
  if (date.getFullYear() !== now.getFullYear()) {
    options.year = "numeric";
  }

  return date.toLocaleDateString("en-GB", options);
}

/** The time of day, 24-hour "HH:MM". */
export function formatTime(iso: string): string {
  const date = new Date(time(iso));
  return `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
}

/** Splits messages into day groups (messages must be in time order). */
export function groupByDay(messages: MessageView[], now: Date): DayGroup[] {
  const groups: DayGroup[] = [];
  let key = "";
  for (const message of messages) {
    const next = dayKey(new Date(time(message.sentAt)));
    if (next !== key || groups.length === 0) {
      groups.push({ label: formatDay(message.sentAt, now), messages: [] });
      key = next;
    }

    groups[groups.length - 1].messages.push(message);
  }

  return groups;
}

/** The safety number as its 12 groups of 5 digits (whatever spacing the API used). */
export function safetyNumberGroups(safetyNumber: string): string[] {
  const digits = safetyNumber.replace(/\D/g, "");
  const groups: string[] = [];
  for (let i = 0; i + 5 <= digits.length; i += 5) {
    groups.push(digits.slice(i, i + 5));
  }

  return groups;
}

/** A one-line preview of a message for the sidebar. */
export function preview(message: MessageView | undefined, maxLength = 60): string {
  if (!message) {
    return "";
  }

  const line = message.file ? `File: ${message.file.name}` : message.text.replace(/\s+/g, " ").trim();
  const text = line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line;
  return message.direction === "out" ? `You: ${text}` : text;
}

/** Reads the secret from the page's fragment (`#token=HEX`); null when absent or malformed. */
/** The call `parley call USER [--video]` asks for in the address (`…&call=USER&media=video`), or null. */
export function callFromFragment(hash: string): { user: string; media: "audio" | "video" } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const user = params.get("call");
  if (!user || !/^[a-z0-9_.-]{3,32}$/.test(user)) {
    return null;
  }

  return { user, media: params.get("media") === "video" ? "video" : "audio" };
}

export function tokenFromFragment(hash: string): string | null {
  const match = /^#?(?:.*&)?token=([0-9a-fA-F]{64})(?:&|$)/.exec(hash);
  return match ? match[1] : null;
}

/** The user-facing sentence for an API failure kind. */
export function describeError(kind: string | undefined, fallback: string): string {
  switch (kind) {
    case "serverUnreachable":
      return "The server cannot be reached. Check your connection and try again.";
    case "serverUnreachableMessageQueued":
      return "The server cannot be reached; the message is queued and will be sent when it is back.";
    case "wrongPassword":
      return "Wrong user name or password.";
    case "notAContact":
      return "You can only message contacts. Send a contact request first.";
    case "blocked":
      return "You blocked this user. Unblock them to send messages.";
    case "keyChanged":
      return "This contact's safety number changed. Verify it before sending.";
    case "notLoggedIn":
      return "You are not logged in.";
    case "userDoesNotExist":
      return "There is no such user.";
    case "userExists":
      return "That user name is taken.";
    case "weakPassword":
      return "That password is too weak. Use a longer passphrase.";
    case "certificateChanged":
      return "The server's certificate changed since you last connected. Do not continue unless the operator told you why.";
    case "certificateNotTrusted":
      return "The server's certificate is not trusted yet: compare its fingerprint with the operator's and confirm it.";
    case "daemonUnreachable":
      return "Not connected to the Parley daemon. Is it still running?";
    case "timeout":
      return "The Parley daemon did not answer in time.";
    default:
      return fallback;
  }
}
