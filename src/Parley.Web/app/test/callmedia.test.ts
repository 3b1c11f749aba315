// Connection quality from getStats figures (node:test, run by `npm test`).

import assert from "node:assert/strict";
import { test } from "node:test";
import { QualityBounds, lossBetween, rateQuality } from "../src/callmedia";

test("quality is good below both good bounds and fair at either of them", () => {
  assert.equal(rateQuality(0.001, 0), "good");
  assert.equal(rateQuality(QualityBounds.goodRtt - 0.001, QualityBounds.goodLoss - 0.001), "good");
  assert.equal(rateQuality(QualityBounds.goodRtt, 0), "fair");
  assert.equal(rateQuality(0.001, QualityBounds.goodLoss), "fair");
});

test("quality is poor at either poor bound and fair just below both", () => {
  assert.equal(rateQuality(QualityBounds.poorRtt - 0.001, QualityBounds.poorLoss - 0.001), "fair");
  assert.equal(rateQuality(QualityBounds.poorRtt, 0), "poor");
  assert.equal(rateQuality(0.001, QualityBounds.poorLoss), "poor");
  assert.equal(rateQuality(2, 0.5), "poor");
});

test("loss is the share of lost packets between two samples", () => {
  assert.equal(lossBetween({ received: 100, lost: 0 }, { received: 190, lost: 10 }), 0.1);
  assert.equal(lossBetween({ received: 100, lost: 5 }, { received: 100, lost: 5 }), 0); // nothing new
  assert.equal(lossBetween({ received: 100, lost: 5 }, { received: 150, lost: 3 }), 0); // duplicates lowered the count
});
