// One conversation: header (presence, safety number, menu), key-change banner, messages grouped by
// day with times and delivery state, typing indicator, and the composer (Enter sends, Shift+Enter
// starts a new line).

import { h, replaceChildren, svgIcon } from "../dom";
import { formatTime, groupByDay } from "../format";
import type { Conversation, MessageView } from "../model";
import { acceptDrops, attachControl, type FileActions, fileCard, type FileState, transferRow } from "./files";

export interface ChatActions extends FileActions {
  send(user: string, text: string): void;
  typing(user: string, typing: boolean): void;
  showSafetyNumber(user: string): void;
  trust(user: string): void;
  remove(user: string): void;
  block(user: string, blocked: boolean): void;
  loadOlder(user: string): void;
  call(user: string, media: "audio" | "video"): void;
}

const StateLabels: Record<MessageView["state"], string> = {
  pending: "pending",
  sent: "sent",
  delivered: "delivered",
  read: "read",
  failed: "not sent",
};

const StateGlyphs: Record<MessageView["state"], string> = {
  pending: "◷",
  sent: "✓",
  delivered: "✓✓",
  read: "✓✓",
  failed: "!",
};

/** Scrolling this close to the top of the messages fetches the page before them. */
const LoadOlderWithinPx = 80;
/** Typing notifications are re-sent at most this often while the user keeps typing. */
const TypingRepeatMs = 3_000;
/** After this long without a keystroke, the contact is told typing stopped. */
const TypingIdleMs = 5_000;

export class ChatView {
  readonly element: HTMLElement;
  private readonly header = h("header", { class: "chat-header" });
  private readonly e2e = encryptionDetails(); // one element, so it stays open across renders
  /** The header's elements, made once and updated in place: a render between a button's press and release must not swallow the click. */
  private readonly head = this.headerElements();
  private readonly banner = h("div", { class: "banner", role: "alert", hidden: true });
  private readonly log = h("ol", { class: "messages", "aria-label": "Messages", "aria-live": "polite", tabindex: "0" });
  private readonly typingLine = h("p", { class: "typing-line", "aria-live": "polite" });
  private readonly transfers = h("ul", { class: "transfers", "aria-label": "File transfers" });
  private readonly input = h("textarea", { id: "composer", rows: "1", maxlength: "65536", placeholder: "Write a message", "aria-label": "Message" });
  private readonly sendButton = h("button", { type: "submit", class: "primary" }, "Send");
  private readonly composer: HTMLFormElement;
  private user: string | null = null;
  /** The id of the earliest message rendered, to tell when an older page was put above. */
  private firstShown: string | undefined;
  private typingSentAt = 0;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly actions: ChatActions,
    private readonly files: FileState,
  ) {
    this.composer = h("form", { class: "composer", "aria-label": "Write a message" }, attachControl(() => this.user, actions), this.input, this.sendButton);
    this.element = h("section", { class: "chat", "aria-label": "Conversation" }, this.header, this.banner, this.log, this.transfers, this.typingLine, this.composer);
    acceptDrops(this.element, () => this.user, () => !this.composer.hidden, actions);
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener("input", () => this.onInput());
    this.composer.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.log.addEventListener("scroll", () => {
      if (this.log.scrollTop < LoadOlderWithinPx && this.user) {
        this.actions.loadOlder(this.user);
      }
    });
  }

  private headerElements() {
    const open = (act: (user: string) => void) => () => {
      if (this.user) {
        act(this.user);
      }
    };
    const name = h("h2", {});
    const presence = h("span", { class: "presence" });
    const voice = h("button", { type: "button", onclick: open((user) => this.actions.call(user, "audio")) }, "Voice call");
    const video = h("button", { type: "button", onclick: open((user) => this.actions.call(user, "video")) }, "Video call");
    const safety = h("button", { type: "button", onclick: open((user) => this.actions.showSafetyNumber(user)) });
    const block = h("button", { type: "button", onclick: open((user) => this.actions.block(user, block.dataset.blocked !== "true")) });
    const remove = h("button", { type: "button", class: "danger", onclick: open((user) => this.actions.remove(user)) }, "Remove");
    return {
      title: h("div", { class: "title" }, name, presence),
      name,
      presence,
      calls: h("div", { class: "call-buttons" }, voice, video),
      voice,
      video,
      menu: h("div", { class: "menu" }, safety, block, remove),
      safety,
      block,
      remove,
    };
  }

  get openUser(): string | null {
    return this.user;
  }

  focusComposer(): void {
    this.input.focus();
  }

  render(conversation: Conversation | null, now: Date): void {
    if (!conversation) {
      this.user = null;
      replaceChildren(this.header, h("h2", {}, "Parley"));
      replaceChildren(this.log, h("li", { class: "empty" }, "Choose a conversation, or add a contact to start one."));
      this.banner.hidden = true;
      this.composer.hidden = true;
      this.typingLine.textContent = "";
      replaceChildren(this.transfers);
      return;
    }

    const switched = this.user !== conversation.user;
    this.user = conversation.user;
    const fromBottom = this.log.scrollHeight - this.log.scrollTop;
    const atBottom = switched || fromBottom - this.log.clientHeight < 40;
    const first = conversation.messages[0]?.id;
    const prepended = !switched && first !== undefined && this.firstShown !== undefined && first !== this.firstShown;
    this.firstShown = first;
    this.renderHeader(conversation);
    this.renderBanner(conversation);
    const canSend = conversation.contact.state === "contact" && !conversation.contact.blocked && !conversation.contact.keyChanged;
    this.composer.hidden = !canSend;
    this.typingLine.textContent = conversation.typing ? `${conversation.user} is typing…` : "";
    const groups = groupByDay(conversation.messages, now);
    const items: HTMLElement[] = [];
    if (!conversation.complete && conversation.messages.length > 0) {
      items.push(h("li", { class: "older" }, h("button", { type: "button", onclick: () => this.actions.loadOlder(conversation.user) }, "Load older messages")));
    }

    for (const group of groups) {
      items.push(h("li", { class: "day" }, group.label)); // a list item (a separator role inside a list is not allowed)
      for (const message of group.messages) {
        items.push(messageItem(message, this.files, this.actions));
      }
    }

    if (items.length === 0) {
      items.push(h("li", { class: "empty" }, canSend ? "No messages yet. Say hello." : "No messages."));
    }

    replaceChildren(this.log, ...items);
    const nowMs = now.getTime();
    replaceChildren(this.transfers, ...this.files.transfers(conversation.user).filter((t) => t.direction === "up").map((t) => transferRow(t, nowMs, this.actions)));
    if (atBottom) {
      this.log.scrollTop = this.log.scrollHeight;
    } else if (prepended) {
      this.log.scrollTop = this.log.scrollHeight - fromBottom; // older messages above: keep what the reader sees in place
    }
  }

  private renderHeader(conversation: Conversation): void {
    const { user, contact } = conversation;
    const head = this.head;
    head.name.textContent = user;
    head.presence.className = `presence ${conversation.online ? "online" : ""}`;
    head.presence.textContent = contact.state === "contact" ? (conversation.online ? "online" : "offline") : contact.state;
    head.calls.hidden = !(contact.state === "contact" && !contact.blocked && !contact.keyChanged);
    head.voice.setAttribute("aria-label", `Voice call ${user}`);
    head.video.setAttribute("aria-label", `Video call ${user}`);
    head.safety.textContent = contact.verified ? "Verified ✓" : "Safety number";
    head.block.textContent = contact.blocked ? "Unblock" : "Block";
    head.block.dataset.blocked = String(contact.blocked);
    head.remove.hidden = contact.state !== "contact";
    if (!this.header.contains(head.title)) {
      replaceChildren(this.header, head.title, this.e2e, head.calls, head.menu);
    }
  }

  private renderBanner(conversation: Conversation): void {
    const { user, contact } = conversation;
    if (contact.keyChanged) {
      replaceChildren(
        this.banner,
        h("p", {}, `${user}'s safety number changed. They may have reinstalled Parley — or someone may be intercepting. Sending is blocked until you check it.`),
        h("button", { type: "button", onclick: () => this.actions.showSafetyNumber(user) }, "Compare safety number"),
        h("button", { type: "button", onclick: () => this.actions.trust(user) }, "Accept the new key"),
      );
      this.banner.hidden = false;
    } else if (contact.blocked) {
      replaceChildren(this.banner, h("p", {}, `You blocked ${user}.`));
      this.banner.hidden = false;
    } else if (contact.state === "request sent") {
      replaceChildren(this.banner, h("p", {}, `Waiting for ${user} to accept your contact request.`));
      this.banner.hidden = false;
    } else {
      this.banner.hidden = true;
    }
  }

  private submit(): void {
    const text = this.input.value;
    if (!this.user || text.trim().length === 0) {
      return;
    }

    this.input.value = "";
    this.stopTyping();
    this.actions.send(this.user, text);
  }

  private onInput(): void {
    if (!this.user) {
      return;
    }

    const now = Date.now();
    if (now - this.typingSentAt > TypingRepeatMs) {
      this.typingSentAt = now;
      this.actions.typing(this.user, true);
    }

    if (this.typingTimer) {
      clearTimeout(this.typingTimer);
    }

    this.typingTimer = setTimeout(() => this.stopTyping(), TypingIdleMs);
  }

  private stopTyping(): void {
    if (this.typingTimer) {
      clearTimeout(this.typingTimer);
      this.typingTimer = null;
    }

    if (this.typingSentAt !== 0 && this.user) {
      this.typingSentAt = 0;
      this.actions.typing(this.user, false);
    }
  }
}

/** The "end-to-end encrypted" indicator, opening to the protocol and cipher suites in use. */
function encryptionDetails(): HTMLElement {
  const row = (term: string, value: string) => [h("dt", {}, term), h("dd", {}, value)];
  return h(
    "details",
    { class: "e2e" },
    h("summary", {}, lockIcon(), "End-to-end encrypted"),
    h(
      "dl",
      {},
      ...row("Key agreement", "X3DH with X25519 plus one ML-KEM-1024 encapsulation (post-quantum)"),
      ...row("Messages", "Double Ratchet: forward secrecy and post-compromise security"),
      ...row("Cipher suites", "1: ChaCha20-Poly1305, SHA-256 · 2: AES-256-GCM, SHA-256 (signed by each identity)"),
      ...row("Keys", "Held by your Parley daemon on this computer; the server and this page never see them"),
    ),
  );
}

function lockIcon(): SVGElement {
  return svgIcon(12, 14, "M3 6V4a3 3 0 0 1 6 0v2h1a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H2a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1zm1.5 0h3V4a1.5 1.5 0 0 0-3 0z");
}

function messageItem(message: MessageView, files: FileState, actions: FileActions): HTMLElement {
  const state = message.direction === "out"
    ? h("span", { class: `state ${message.state}`, title: StateLabels[message.state], "aria-label": StateLabels[message.state] }, StateGlyphs[message.state])
    : null;
  return h(
    "li",
    { class: `message ${message.direction}`, "data-id": message.id, "data-state": message.state },
    fileCard(message, files, actions) ?? h("p", { class: "body" }, message.text),
    h("span", { class: "meta" }, h("time", { datetime: message.sentAt }, formatTime(message.sentAt)), state),
  );
}
