import assert from "node:assert/strict";
import { test } from "node:test";
import { blobType, formatBytes, formatDuration, fraction, progressLine, type Transfer, TransferList } from "../src/transfers";

function transfer(overrides: Partial<Transfer> = {}): Transfer {
  return { id: "t1", user: "bob", name: "a.bin", direction: "up", bytes: 0, total: 5_000_000, startedAt: 0, phase: "running", ...overrides };
}

test("sizes are written in decimal units with one decimal", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(1000), "1.0 KB");
  assert.equal(formatBytes(5_242_880), "5.2 MB");
  assert.equal(formatBytes(-5), "0 B");
});

test("durations round up to whole seconds, then minutes", () => {
  assert.equal(formatDuration(0.2), "1 s");
  assert.equal(formatDuration(59), "59 s");
  assert.equal(formatDuration(61), "2 min");
  assert.equal(formatDuration(3_700), "1 h 2 min");
});

test("the progress line gives bytes, rate and time left once the transfer runs", () => {
  const t = transfer({ bytes: 1_000_000, startedAt: 0 });
  assert.equal(progressLine(t, 1_000), "1.0 MB of 5.0 MB · 1.0 MB/s · 4 s left");
  assert.equal(progressLine(transfer({ bytes: 0 }), 1_000), "0 B of 5.0 MB");
  assert.equal(progressLine(transfer({ phase: "staging" }), 1_000), "Preparing 5.0 MB…");
  assert.equal(progressLine(transfer({ phase: "cancelled", bytes: 1_000_000 }), 1_000), "1.0 MB of 5.0 MB · cancelled");
  assert.equal(progressLine(transfer({ phase: "failed", error: "The server cannot be reached." }), 1_000), "0 B of 5.0 MB · The server cannot be reached.");
});

test("the share done stays between 0 and 1", () => {
  assert.equal(fraction(transfer({ bytes: 2_500_000 })), 0.5);
  assert.equal(fraction(transfer({ bytes: 9_000_000 })), 1);
  assert.equal(fraction(transfer({ total: 0, phase: "done" })), 1);
  assert.equal(fraction(transfer({ total: 0 })), 0);
});

test("transfer events apply only to this page's transfers, and progress never goes back", () => {
  const list = new TransferList();
  const t = transfer({ id: list.newId(), phase: "staging" });
  list.add(t);
  assert.equal(list.applyEvent({ type: "transfer", transfer: "someone-else", bytes: 10, total: 20 }), false);
  assert.equal(list.applyEvent({ type: "transfer", transfer: t.id, bytes: "10", total: 20 }), false);
  assert.equal(list.applyEvent({ type: "transfer", transfer: t.id, bytes: 600, total: 1_000 }), true);
  assert.equal(t.phase, "running");
  list.applyEvent({ type: "transfer", transfer: t.id, bytes: 300, total: 1_000 });
  assert.equal(t.bytes, 600);
  assert.deepEqual(list.forUser("bob"), [t]);
  assert.deepEqual(list.forUser("carol"), []);
});

test("only picture names get an image type; everything else is opaque bytes", () => {
  assert.equal(blobType("cat.PNG"), "image/png");
  assert.equal(blobType("photo.jpeg"), "image/jpeg");
  assert.equal(blobType("page.html"), "application/octet-stream");
  assert.equal(blobType("image.svg"), "application/octet-stream");
  assert.equal(blobType("noextension"), "application/octet-stream");
});
