// Unit tests for the web app's own logic (node:test; run by `npm test`, which the .NET test
// project Parley.Web.Tests runs as part of `dotnet test`).

import assert from "node:assert/strict";
import { test } from "node:test";
import { describeError, formatDay, groupByDay, preview, safetyNumberGroups } from "../src/format";
import { callFromFragment, tokenFromFragment } from "../src/fragment";
import { Model, readMessage } from "../src/model";
import { backoffDelay } from "../src/rpc";

const contact = (user: string, state: "contact" | "request sent" | "request received" = "contact") =>
  ({ user, state, blocked: false, verified: false, keyChanged: false });

const message = (id: string, peer: string, sentAt: string, direction: "in" | "out" = "in") =>
  ({ type: "message", id, [direction === "in" ? "from" : "to"]: peer, direction, text: `text ${id}`, sentAt, state: direction === "in" ? "read" : "sent" });

test("incoming requests come first, then conversations by last activity, then by name", () => {
  const model = new Model();
  model.applyContacts([contact("carol"), contact("alice"), contact("bob"), contact("dave", "request received")]);
  model.applyEvent(message("1", "bob", "2026-11-30T08:00:00Z"), null, true);
  model.applyEvent(message("2", "alice", "2026-11-30T09:00:00Z"), null, true);
  assert.deepEqual(model.ordered().map((c) => c.user), ["dave", "alice", "bob", "carol"]);
});

test("a message for a closed or hidden conversation counts as unread and asks for a notification", () => {
  const model = new Model();
  model.applyContacts([contact("alice")]);
  const change = model.applyEvent(message("1", "alice", "2026-11-30T08:00:00Z"), null, true);
  assert.equal(model.conversation("alice").unread, 1);
  assert.deepEqual(change.notify, { kind: "message", title: "alice", body: "text 1" });
  const open = model.applyEvent(message("2", "alice", "2026-11-30T08:01:00Z"), "alice", true);
  assert.equal(model.conversation("alice").unread, 1);
  assert.equal(open.notify, undefined);
  model.applyEvent(message("3", "alice", "2026-11-30T08:02:00Z"), "alice", false);
  assert.equal(model.conversation("alice").unread, 2);
});

test("the same message twice is kept once, and receipts only move a state forward", () => {
  const model = new Model();
  model.applyEvent(message("1", "bob", "2026-11-30T08:00:00Z", "out"), null, true);
  model.applyEvent(message("1", "bob", "2026-11-30T08:00:00Z", "out"), null, true);
  assert.equal(model.conversation("bob").messages.length, 1);
  model.applyEvent({ type: "read", user: "bob", ids: ["1"] }, null, true);
  model.applyEvent({ type: "delivered", user: "bob", ids: ["1"] }, null, true);
  assert.equal(model.conversation("bob").messages[0].state, "read");
});

test("messages are kept in time order whatever order they arrive in", () => {
  const model = new Model();
  model.addMessages([readMessage(message("b", "bob", "2026-11-30T09:00:00Z"))!, readMessage(message("a", "bob", "2026-11-30T08:00:00Z"))!]);
  assert.deepEqual(model.conversation("bob").messages.map((m) => m.id), ["a", "b"]);
});

test("a pending message is replaced by the stored one, or marked failed", () => {
  const model = new Model();
  const pending = model.addPending("bob", "hi", new Date("2026-11-30T08:00:00Z"));
  assert.equal(model.conversation("bob").messages[0].state, "pending");
  model.settlePending(pending.id, "bob", { id: "abc" });
  assert.deepEqual(model.conversation("bob").messages.map((m) => [m.id, m.state]), [["abc", "sent"]]);
  const second = model.addPending("bob", "again", new Date("2026-11-30T08:01:00Z"));
  model.settlePending(second.id, "bob", null);
  assert.equal(model.conversation("bob").messages[1].state, "failed");
});

test("a stored message whose event arrived before the send returned is not shown twice", () => {
  const model = new Model();
  const pending = model.addPending("bob", "hi", new Date("2026-11-30T08:00:00Z"));
  model.applyEvent(message("abc", "bob", "2026-11-30T08:00:00Z", "out"), "bob", true);
  model.settlePending(pending.id, "bob", { id: "abc" });
  assert.deepEqual(model.conversation("bob").messages.map((m) => m.id), ["abc"]);
});

test("typing stops when a message from that contact arrives, and when they go offline", () => {
  const model = new Model();
  model.applyEvent({ type: "typing", user: "bob", typing: true }, null, true);
  assert.equal(model.conversation("bob").typing, true);
  model.applyEvent(message("1", "bob", "2026-11-30T08:00:00Z"), null, true);
  assert.equal(model.conversation("bob").typing, false);
  model.applyEvent({ type: "typing", user: "bob", typing: true }, null, true);
  model.applyEvent({ type: "presence", user: "bob", online: false }, null, true);
  assert.equal(model.conversation("bob").typing, false);
});

test("a key change marks the contact changed and no longer verified", () => {
  const model = new Model();
  model.applyContacts([{ ...contact("bob"), verified: true }]);
  model.applyEvent({ type: "key-changed", user: "bob" }, null, true);
  assert.equal(model.conversation("bob").contact.keyChanged, true);
  assert.equal(model.conversation("bob").contact.verified, false);
});

test("malformed events and messages are ignored", () => {
  const model = new Model();
  assert.equal(readMessage({ id: 1, from: "bob", direction: "in", text: "x", sentAt: "2026-11-30T08:00:00Z" }), null);
  assert.equal(readMessage({ id: "1", direction: "sideways", text: "x", sentAt: "x" }), null);
  assert.deepEqual(model.applyEvent({ type: "message", id: "1" }, null, true), {});
  model.applyEvent({ type: "read", user: "bob", ids: "not a list" }, null, true);
  model.applyEvent({ type: "no-such-event" }, null, true);
  assert.equal(model.ordered().length, 0);
});

test("day separators: Today, Yesterday, then dates", () => {
  const now = new Date(2026, 10, 30, 12, 0);
  const at = (day: number, hour: number) => new Date(2026, 10, day, hour).toISOString();
  const groups = groupByDay(
    [at(28, 9), at(29, 9), at(29, 23), at(30, 0), at(30, 11)].map((sentAt, i) => ({ id: String(i), peer: "b", direction: "in" as const, text: "", sentAt, state: "read" as const })),
    now,
  );
  assert.deepEqual(groups.map((g) => [g.label, g.messages.length]), [[formatDay(at(28, 9), now), 1], ["Yesterday", 2], ["Today", 2]]);
  assert.notEqual(groups[0].label, "Yesterday");
});

test("safety numbers show as 12 groups of 5 digits", () => {
  const digits = "123456789012345678901234567890123456789012345678901234567890";
  assert.deepEqual(safetyNumberGroups(digits.replace(/(\d{5})/g, "$1 ")), digits.match(/\d{5}/g));
  assert.equal(safetyNumberGroups(digits).length, 12);
});

test("previews are one line, shortened, and mark your own messages", () => {
  const long = { id: "1", peer: "b", direction: "out" as const, text: "a\nb ".repeat(40), sentAt: "", state: "sent" as const };
  const text = preview(long, 20);
  assert.ok(text.startsWith("You: a b a b"));
  assert.ok(!text.includes("\n"));
  assert.ok(text.endsWith("…"));
});

test("the secret is read from the fragment only when it is 64 hex digits", () => {
  const secret = "ab".repeat(32);
  assert.equal(tokenFromFragment(`#token=${secret}`), secret);
  assert.equal(tokenFromFragment(`#x=1&token=${secret}`), secret);
  assert.equal(tokenFromFragment("#token=abc"), null);
  assert.equal(tokenFromFragment(`#token=${secret}0`), null);
  assert.equal(tokenFromFragment(""), null);
});

test("errors read as sentences, with the daemon's message as the fallback", () => {
  assert.match(describeError("notAContact", "x"), /contact request/);
  assert.equal(describeError("somethingNew", "The daemon's sentence."), "The daemon's sentence.");
});

test("reconnect backoff is jittered and capped", () => {
  assert.equal(backoffDelay(0, () => 0), 0);
  assert.ok(backoffDelay(1, () => 0.999) < 500);
  assert.ok(backoffDelay(30, () => 0.999) < 5_000);
});

test("a file message carries its file's name and size; a malformed file field is left out", () => {
  const raw = { id: "m1", from: "bob", direction: "in", text: "[file] a.pdf", sentAt: "2026-11-30T10:00:00Z", state: "delivered" };
  assert.deepEqual(readMessage({ ...raw, file: { id: "b1", name: "a.pdf", size: 42, type: "application/pdf" } })?.file, { name: "a.pdf", size: 42 });
  assert.equal(readMessage({ ...raw, file: { name: "a.pdf", size: "42" } })?.file, undefined);
  assert.equal(readMessage({ ...raw, file: "a.pdf" })?.file, undefined);
});

test("a file message's preview names the file, not the fallback text", () => {
  const m = readMessage({ id: "m1", from: "bob", direction: "in", text: "[file] a.pdf (42 B) — fetch with: parley file get m1", sentAt: "2026-11-30T10:00:00Z", file: { name: "a.pdf", size: 42 } });
  assert.equal(preview(m ?? undefined), "File: a.pdf");
});

test("parley call's address names the contact and the media; anything else places no call", () => {
  const secret = "a".repeat(64);
  assert.deepEqual(callFromFragment(`#token=${secret}&call=bob&media=video`), { user: "bob", media: "video" });
  assert.deepEqual(callFromFragment(`#token=${secret}&call=bob`), { user: "bob", media: "audio" });
  assert.equal(callFromFragment(`#token=${secret}`), null);
  assert.equal(callFromFragment(`#token=${secret}&call=Bob%3Cscript%3E`), null);
  assert.equal(callFromFragment(`#token=${secret}&call=ab`), null);
});

test("who is online may be known before the contact list arrives, and survives it", () => {
  const model = new Model();
  model.applyOnline(["bob"]);
  model.applyContacts([contact("alice"), contact("bob")]);
  assert.equal(model.conversation("bob").online, true);
  assert.equal(model.conversation("alice").online, false);
  model.applyOnline([]);
  assert.equal(model.conversation("bob").online, false);
});
