// The page's call controller against a scripted daemon, fake media and a fake screen (node:test, run
// by `npm test`): the orders in which the daemon's answers and its events can reach the page —
// they travel apart — and the user's hang-up while a call is being placed must all end in one call.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { Api } from "../src/api";
import type { MediaPeer, PeerEvents } from "../src/callpeer";
import type { CallScreen } from "../src/callports";
import { CallController } from "../src/calls";
import { RpcError } from "../src/rpc";
import type { CallActions } from "../src/views/call";

const Ours = "b".repeat(32); // the glare's loser: the larger id
const Theirs = "a".repeat(32);

interface Deferred {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** A daemon whose answers the test scripts (or holds), a screen that records, media that always works. */
function harness() {
  const requests: { method: string; params: Record<string, unknown> }[] = [];
  const held = new Map<string, Deferred>();
  const answers = new Map<string, (params: Record<string, unknown>) => unknown>([
    ["calls.current", () => ({})],
    ["calls.accept", () => ({})],
    ["calls.signal", () => ({ ok: true })],
    ["calls.hangup", () => Promise.reject(new RpcError(-32000, "no such call", "noSuchCall"))],
  ]);
  const api = {
    rpc: {
      call: (method: string, params: Record<string, unknown> = {}) => {
        requests.push({ method, params });
        if (held.has(method)) {
          return new Promise((resolve, reject) => held.set(method, { resolve, reject }));
        }

        return Promise.resolve().then(() => answers.get(method)?.(params));
      },
    },
    scopedParams: (params: Record<string, unknown> = {}) => params,
  } as unknown as Api;
  const shown: string[] = [];
  const peers: { media?: string; closed: boolean }[] = [];
  let actions: CallActions | undefined;
  const screen: CallScreen = {
    show: (user, _media, direction, status) => shown.push(`show ${direction} ${user}: ${status}`),
    status: (text) => shown.push(`status ${text}`),
    connected: () => shown.push("connected"),
    verification: () => undefined,
    ended: (sentence) => shown.push(`ended ${sentence}`),
    local: () => undefined,
    remote: () => undefined,
    devices: () => undefined,
    quality: () => undefined,
    security: () => shown.push("security"),
    error: (text) => shown.push(`error ${text}`),
  };
  const createPeer = (_events: PeerEvents): Promise<MediaPeer> => {
    const state = { closed: false } as { media?: string; closed: boolean };
    peers.push(state);
    const peer: MediaPeer = {
      connectionState: "new",
      hasLocalDescription: true,
      localStream: null,
      addLocalMedia: async (media) => {
        state.media = media;
        return {} as MediaStream;
      },
      offer: async () => "our offer",
      answer: async () => "our answer",
      setRemote: async () => undefined,
      addCandidates: async () => undefined,
      devices: async () => ({ cameras: [], microphones: [] }),
      switchDevice: async () => ({}) as MediaStream,
      watchQuality: () => undefined,
      remoteFingerprint: async () => null,
      stats: async () => ({}) as RTCStatsReport,
      close: () => (state.closed = true),
    };
    return Promise.resolve(peer);
  };
  const calls = new CallController(api, { screen: (a) => ((actions = a), screen), ring: { start: () => undefined, stop: () => undefined }, createPeer }, () => undefined);
  return {
    calls,
    shown,
    peers,
    requests,
    answers,
    actions: () => actions!,
    /** The next request of `method` waits until the test answers it. */
    hold(method: string) {
      held.set(method, { resolve: () => undefined, reject: () => undefined });
      return {
        answer: (value: unknown) => held.get(method)!.resolve(value),
        fail: (error: unknown) => held.get(method)!.reject(error),
      };
    },
    event(user: string, call: Record<string, unknown>) {
      calls.onEvent({ type: "call", user, call });
    },
    sent: (method: string) => requests.filter((r) => r.method === method).map((r) => r.params),
  };
}

/** Lets every pending promise chain run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The daemon's events when our call loses a glare: ours ends superseded, theirs rings and is to be answered at once. */
function loseGlare(h: ReturnType<typeof harness>, theirs: "audio" | "video" = "audio"): void {
  h.event("alice", { update: "state", id: Ours, state: "outgoing", direction: "out", media: "audio" });
  h.event("alice", { update: "state", id: Ours, state: "ended", direction: "out", reason: "superseded" });
  h.event("alice", { update: "description", id: Theirs, sdpType: "offer", sdp: "their offer", fingerprint: "sha-256 AA" });
  h.event("alice", { update: "state", id: Theirs, state: "incoming", direction: "in", media: theirs });
  h.event("alice", { update: "answer-now", id: Theirs });
}

for (const answerFirst of [true, false]) {
  test(`a glare's loser answers the winner's call whether calls.start's answer comes ${answerFirst ? "before" : "after"} the events`, async () => {
    const h = harness();
    const start = h.hold("calls.start");
    void h.calls.start("alice", "audio");
    await settle();
    assert.equal(h.sent("calls.start").length, 1);
    if (answerFirst) {
      start.answer({ call: { id: Ours } });
      await settle();
    }

    loseGlare(h);
    if (!answerFirst) {
      start.answer({ call: { id: Ours } }); // while the page is already answering theirs
    }

    await settle();
    assert.deepEqual(h.sent("calls.accept"), [{ call: Theirs, sdp: "our answer" }]);
    assert.equal((h.calls.describe().call as { id: string }).id, Theirs);
    assert.ok(!h.shown.some((line) => line.startsWith("ended") || line.startsWith("error")), h.shown.join("\n"));
    assert.deepEqual(h.peers.map((p) => p.closed), [true, false]); // our offer's media dropped, the answer's open
    if (!answerFirst) {
      assert.deepEqual(h.sent("calls.hangup"), [{ call: Ours }]); // only ever our superseded call
    }
  });
}

for (const [ours, theirs, answered] of [["video", "video", "video"], ["audio", "video", "audio"], ["video", "audio", "audio"]] as const) {
  const kind = (media: string) => (media === "video" ? "video" : "voice");
  test(`a glare's loser that placed a ${kind(ours)} call answers a ${kind(theirs)} call with ${kind(answered)}`, async () => {
    const h = harness();
    h.hold("calls.start"); // its answer comes after the events
    void h.calls.start("alice", ours);
    await settle();
    loseGlare(h, theirs);
    await settle();
    assert.equal(h.sent("calls.accept").length, 1);
    assert.equal(h.peers.at(-1)!.media, answered);
  });
}

test("a call cancelled while the daemon places it is hung up there, and its media released", async () => {
  const h = harness();
  const start = h.hold("calls.start");
  void h.calls.start("alice", "video");
  await settle();
  h.actions().hangUp();
  assert.equal(h.shown.at(-1), "ended Call cancelled.");
  start.answer({ call: { id: Ours } });
  await settle();
  assert.deepEqual(h.sent("calls.hangup"), [{ call: Ours }]);
  assert.equal(h.calls.describe().call, null);
  assert.ok(h.peers.every((p) => p.closed));
});

test("a call cancelled while the camera opens never reaches the daemon", async () => {
  const h = harness();
  void h.calls.start("alice", "video");
  h.actions().hangUp(); // before the media is open
  await settle();
  assert.equal(h.sent("calls.start").length, 0);
  assert.ok(h.peers.every((p) => p.closed));
  assert.equal(h.calls.describe().call, null);
});

test("busy because the contact's call reached the daemon first: it is answered at once, with the media we asked for", async () => {
  const h = harness();
  const start = h.hold("calls.start");
  h.answers.set("calls.current", () => ({ user: "alice", call: { id: Theirs, state: "incoming", media: "video", sdp: "their offer", fingerprint: "sha-256 AA" } }));
  void h.calls.start("alice", "audio");
  await settle();
  start.fail(new RpcError(-32000, "busy", "callBusy")); // before any event of their call arrived
  await settle();
  assert.deepEqual(h.sent("calls.accept"), [{ call: Theirs, sdp: "our answer" }]);
  assert.equal(h.peers.at(-1)!.media, "audio");
  assert.ok(!h.shown.some((line) => line.startsWith("ended")), h.shown.join("\n"));
});

test("busy because someone else's call rings: it rings here, unanswered", async () => {
  const h = harness();
  const start = h.hold("calls.start");
  h.answers.set("calls.current", () => ({ user: "carol", call: { id: Theirs, state: "incoming", media: "audio", sdp: "her offer", fingerprint: "sha-256 AA" } }));
  void h.calls.start("alice", "audio");
  await settle();
  start.fail(new RpcError(-32000, "busy", "callBusy"));
  await settle();
  assert.equal(h.shown.at(-1), "show in carol: Incoming voice call");
  assert.deepEqual(h.sent("calls.accept"), []);
});

test("our call's events ahead of calls.start's answer are applied to it, and a later answer changes nothing", async () => {
  const h = harness();
  const start = h.hold("calls.start");
  void h.calls.start("alice", "audio");
  await settle();
  h.event("alice", { update: "state", id: Ours, state: "outgoing", direction: "out", peerRinging: true });
  assert.equal(h.shown.at(-1), "status Ringing…");
  h.event("alice", { update: "state", id: Ours, state: "ended", direction: "out", reason: "remote-declined" });
  assert.equal(h.shown.at(-1), "ended Declined.");
  start.answer({ call: { id: Ours } });
  await settle();
  assert.equal(h.shown.at(-1), "ended Declined.");
  assert.equal(h.calls.describe().call, null);
});

test("an event of another call while ours is placed does not end ours", async () => {
  const h = harness();
  const start = h.hold("calls.start");
  void h.calls.start("alice", "audio");
  await settle();
  h.event("carol", { update: "state", id: Theirs, state: "ended", direction: "in", reason: "remote-cancelled" });
  start.answer({ call: { id: Ours } });
  await settle();
  assert.equal((h.calls.describe().call as { id: string }).id, Ours);
  assert.ok(!h.shown.some((line) => line.startsWith("ended")), h.shown.join("\n"));
});
