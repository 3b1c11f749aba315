// Overlapping reads answered out of order (node:test, run by `npm test`).

import assert from "node:assert/strict";
import { test } from "node:test";
import { LatestAnswer } from "../src/latest";

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

test("an answer to an older call that arrives after a newer one is dropped", async () => {
  const latest = new LatestAnswer();
  const older = deferred<string>();
  const newer = deferred<string>();
  const first = latest.run(() => older.promise);
  const second = latest.run(() => newer.promise);
  newer.resolve("accepted");
  assert.equal(await second, "accepted");
  older.resolve("request sent");
  assert.equal(await first, undefined);
});

test("answers that arrive in order are all returned", async () => {
  const latest = new LatestAnswer();
  const older = deferred<string>();
  const newer = deferred<string>();
  const first = latest.run(() => older.promise);
  const second = latest.run(() => newer.promise);
  older.resolve("one");
  assert.equal(await first, "one");
  newer.resolve("two");
  assert.equal(await second, "two");
  assert.equal(await latest.run(() => Promise.resolve("three")), "three");
});

test("a failed call does not block later answers", async () => {
  const latest = new LatestAnswer();
  await assert.rejects(latest.run(() => Promise.reject(new Error("logged out"))));
  assert.equal(await latest.run(() => Promise.resolve("list")), "list");
});
