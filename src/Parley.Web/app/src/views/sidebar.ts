// The conversation list: incoming requests on top, then contacts by last activity, each with an
// online dot, unread count and a preview of the last message; and the "add contact" form.

import { h, replaceChildren } from "../dom";
import { preview } from "../format";
import type { Conversation } from "../model";

export interface SidebarActions {
  open(user: string): void;
  accept(user: string): void;
  decline(user: string): void;
  request(user: string, note: string): Promise<string | null>;
}

export interface PanelActions extends Pick<SidebarActions, "request"> {
  account(): void;
  logout(): void;
}

/** The sidebar: who is signed in, the connection state, Account and Log out, the add-contact form, then the list. */
export function sidebarPanel(profile: string, connection: HTMLElement, list: HTMLElement, actions: PanelActions): HTMLElement {
  return h(
    "aside",
    { class: "sidebar", "aria-label": "Contacts" },
    h(
      "header",
      { class: "me" },
      h("strong", {}, profile),
      connection,
      h("button", { type: "button", class: "link", onclick: () => actions.account() }, "Account"),
      h("button", { type: "button", class: "link", onclick: () => actions.logout() }, "Log out"),
    ),
    addContactForm(actions),
    list,
  );
}

/** Shows whether the page reaches its daemon, and the daemon the server. */
export function renderConnection(element: HTMLElement, daemonOpen: boolean, serverConnected: boolean): void {
  const [text, state] = !daemonOpen
    ? ["daemon not reachable", "offline"]
    : serverConnected
      ? ["connected", "connected"]
      : ["reconnecting…", "reconnecting"];
  element.textContent = text;
  element.dataset.state = state;
}

export function renderConversationList(list: HTMLElement, conversations: Conversation[], openUser: string | null, actions: SidebarActions): void {
  const items = conversations.map((conversation) => conversationItem(conversation, conversation.user === openUser, actions));
  if (items.length === 0) {
    replaceChildren(list, h("li", { class: "empty" }, "No contacts yet. Add one by user name above."));
    return;
  }

  replaceChildren(list, ...items);
}

function conversationItem(conversation: Conversation, selected: boolean, actions: SidebarActions): HTMLElement {
  const { user, contact } = conversation;
  const dot = h("span", { class: conversation.online ? "dot online" : "dot", "aria-hidden": "true" });
  const status = conversation.online ? "online" : "offline";
  if (contact.state === "request received") {
    return h(
      "li",
      { class: "request", "data-user": user },
      h("div", { class: "who" }, h("strong", {}, user), h("span", { class: "badge" }, "wants to connect")),
      contact.note ? h("p", { class: "note" }, `“${contact.note}”`) : null,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "primary", onclick: () => actions.accept(user), "aria-label": `Accept ${user}` }, "Accept"),
        h("button", { type: "button", onclick: () => actions.decline(user), "aria-label": `Decline ${user}` }, "Decline"),
      ),
    );
  }

  const subtitle = contact.state === "request sent" ? "request sent" : conversation.typing ? "typing…" : latestPreview(conversation);
  // The button's name is its visible text plus hidden words for what only shows as colour or a
  // badge ("alice, offline, lunch?, 2 unread"): no aria-label that a speech user could not say.
  const unread = conversation.unread > 0 ? h("span", { class: "unread" }, String(conversation.unread)) : null;
  const button = h(
    "button",
    {
      type: "button",
      class: "conversation",
      "aria-current": selected ? "true" : undefined,
      onclick: () => actions.open(user),
    },
    dot,
    h(
      "span",
      { class: "text" },
      h(
        "span",
        { class: "name" },
        user,
        contact.verified ? h("span", { class: "verified", title: "verified" }, " ✓") : null,
        h("span", { class: "visually-hidden" }, `, ${status},`),
      ),
      h("span", { class: conversation.typing ? "preview typing" : "preview" }, subtitle),
    ),
    unread,
    unread ? h("span", { class: "visually-hidden" }, " unread") : null,
  );
  return h("li", { "data-user": user }, button);
}

/** The latest loaded message, or the daemon's preview when it is newer (or nothing is loaded). */
function latestPreview(conversation: Conversation): string {
  const last = conversation.messages[conversation.messages.length - 1];
  const summary = conversation.summary;
  if (summary && (!last || Date.parse(last.sentAt) < summary.at)) {
    return preview({ id: "", peer: conversation.user, direction: summary.direction, text: summary.text, sentAt: "", state: "sent" });
  }

  return preview(last);
}

export function addContactForm(actions: Pick<SidebarActions, "request">): HTMLElement {
  const user = h("input", { id: "add-user", name: "user", placeholder: "user name", required: true, maxlength: "32", spellcheck: "false", autocomplete: "off" });
  const note = h("input", { id: "add-note", name: "note", placeholder: "note (optional)", maxlength: "280" });
  const status = h("p", { class: "form-status", role: "status", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "add-contact", "aria-label": "Add a contact" },
    h("label", { for: "add-user", class: "visually-hidden" }, "User name to add"),
    user,
    h("label", { for: "add-note", class: "visually-hidden" }, "Note for the request"),
    note,
    h("button", { type: "submit" }, "Add contact"),
    status,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = user.value.trim();
    if (!name) {
      return;
    }

    const error = await actions.request(name, note.value.trim());
    status.textContent = error ?? `Request sent to ${name}.`;
    if (!error) {
      user.value = "";
      note.value = "";
    }
  });
  return form;
}
