// What desktop notifications may say (node:test, run by `npm test`).

import assert from "node:assert/strict";
import { test } from "node:test";
import { MaxNotificationText, notificationBody } from "../src/notifications";

test("a notification never carries message text unless previews are on", () => {
  const message = { kind: "message" as const, title: "alice", body: "the door code is 4711" };
  assert.equal(notificationBody(message, false), "New message");
  assert.equal(notificationBody(message, true), "the door code is 4711");
  assert.equal(notificationBody({ kind: "request", title: "bob", body: "anything" }, true), "wants to be your contact");
});

test("a previewed text is one line, cut at the limit", () => {
  const long = "word ".repeat(100);
  const body = notificationBody({ kind: "message", title: "alice", body: `two\nlines ${long}` }, true);
  assert.equal(body.length, MaxNotificationText);
  assert.ok(body.startsWith("two lines word"));
  assert.ok(body.endsWith("…"));
});
