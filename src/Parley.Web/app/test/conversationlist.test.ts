// The `conversations` answer applied to the model (node:test, run by `npm test`).

import assert from "node:assert/strict";
import { test } from "node:test";
import { applyConversationList, type ConversationEntry } from "../src/conversationlist";
import { Model } from "../src/model";

const entry = (user: string, extra: Partial<ConversationEntry> = {}): ConversationEntry =>
  ({ user, state: "contact", blocked: false, verified: false, keyChanged: false, unread: 0, online: false, ...extra });

test("the daemon's list orders the sidebar: requests first, then by last activity, with unread counts and previews", () => {
  const model = new Model();
  applyConversationList(model, {
    onlineKnown: true,
    conversations: [
      entry("dave", { state: "request received", note: "hi" }),
      entry("alice", { unread: 3, online: true, lastActivity: "2026-11-30T09:00:00Z", preview: "lunch?", previewDirection: "in" }),
      entry("bob", { lastActivity: "2026-11-30T08:00:00Z", preview: "see you", previewDirection: "out" }),
      entry("erin", { state: "none", lastActivity: "2026-11-29T08:00:00Z", preview: "old times" }),
      entry("carol"),
    ],
  }, null);
  assert.deepEqual(model.ordered().map((c) => c.user), ["dave", "alice", "bob", "erin", "carol"]);
  const alice = model.conversation("alice");
  assert.equal(alice.unread, 3);
  assert.equal(alice.online, true);
  assert.deepEqual(alice.summary, { text: "lunch?", direction: "in", at: Date.parse("2026-11-30T09:00:00Z") });
  assert.equal(model.conversation("bob").summary?.direction, "out");
  assert.equal(model.conversation("dave").contact.note, "hi");
});

test("the open conversation shows no unread count, and unknown presence keeps what events said", () => {
  const model = new Model();
  model.applyEvent({ type: "presence", user: "alice", online: true }, null, true);
  applyConversationList(model, { onlineKnown: false, conversations: [entry("alice", { unread: 2, online: false })] }, "alice");
  assert.equal(model.conversation("alice").unread, 0);
  assert.equal(model.conversation("alice").online, true);
});

test("someone no longer listed and without loaded messages leaves the list; malformed counts read as zero", () => {
  const model = new Model();
  applyConversationList(model, { onlineKnown: true, conversations: [entry("alice"), entry("bob", { unread: Number.NaN })] }, null);
  applyConversationList(model, { onlineKnown: true, conversations: [entry("bob", { unread: -4 })] }, null);
  assert.deepEqual(model.ordered().map((c) => c.user), ["bob"]);
  assert.equal(model.conversation("bob").unread, 0);
});
