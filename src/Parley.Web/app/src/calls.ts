// 1:1 calls in the browser (PROTOCOL.md 10B, API.md calls.*). The daemon runs the call state machine
// and carries every signal end-to-end encrypted; this page does the media (CallPeer: a relay-only
// RTCPeerConnection, camera and microphone), rings, and shows the call. Once connected, the remote
// DTLS certificate fingerprint from getStats goes back to the daemon, which ends the call with a
// security error unless it equals the one received through the encrypted channel.

import type { Api } from "./api";
import { remoteFingerprint } from "./callmedia";
import { CallPeer } from "./callpeer";
import { Ringtone } from "./ringtone";
import { CallView, endSentence, type CallMedia } from "./views/call";

interface CallInfo {
  id: string;
  user: string;
  direction: "out" | "in";
  media: CallMedia;
  remoteFingerprint?: string;
}

/** The `call` object of `call` events and calls.* results (API.md). */
type CallObject = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const mediaOf = (call: CallObject): CallMedia => (call.media === "video" ? "video" : "audio");

export class CallController {
  private readonly view: CallView;
  private readonly ring = new Ringtone();
  private call: CallInfo | null = null;
  private peer: CallPeer | null = null;
  private accepting = false;
  private offer: { id: string; sdp: string; fingerprint: string } | null = null;
  private localCandidates: RTCIceCandidateInit[] = [];
  /** The contact's call that rang while ours to them was still being placed (our calls.start then fails busy). */
  private crossed: { id: string; media: CallMedia } | null = null;

  constructor(
    private readonly api: Api,
    host: HTMLElement,
    private readonly onRecorded: (user: string) => void,
  ) {
    this.view = new CallView(host, {
      accept: (media) => void this.accept(media),
      decline: () => {
        this.ring.stop();
        void this.api.rpc.call("calls.decline", this.api.scopedParams({ call: this.call?.id })).catch(() => undefined);
      },
      hangUp: () => void this.hangUp(),
      mute: (muted) => this.peer?.localStream?.getAudioTracks().forEach((t) => (t.enabled = !muted)),
      camera: (off) => this.peer?.localStream?.getVideoTracks().forEach((t) => (t.enabled = !off)),
      device: (kind, id) => void this.switchDevice(kind, id),
    });
    // Diagnostics (the browser tests read them): the peer connection's getStats, and the ring.
    Object.assign(window, {
      parleyCallStats: () => (this.peer ? this.peer.pc.getStats() : Promise.resolve(null)),
      parleyRing: { playing: () => this.ring.playing, level: () => this.ring.level() },
    });
  }

  get busy(): boolean {
    return this.call !== null;
  }

  /** A call ringing here when the page opened (calls.current). */
  async resume(): Promise<void> {
    const result = (await this.api.rpc.call("calls.current", this.api.scopedParams())) as { user?: string; call?: CallObject };
    const call = result.call;
    if (call && result.user && str(call.state) === "incoming" && str(call.sdp) && str(call.fingerprint)) {
      this.offer = { id: String(call.id), sdp: String(call.sdp), fingerprint: String(call.fingerprint) };
      this.ringing(String(call.id), result.user, mediaOf(call));
    }
  }

  async start(user: string, media: CallMedia): Promise<void> {
    if (this.call) {
      this.view.error("You are already in a call.");
      return;
    }

    this.call = { id: "", user, direction: "out", media };
    this.view.show(user, media, "out", "Calling…");
    try {
      const peer = await this.connect(media);
      const sdp = await peer.offer();
      const started = (await this.api.rpc.call("calls.start", this.api.scopedParams({ to: user, media, sdp }))) as { call: CallObject };
      this.call.id = String(started.call.id);
      void this.refreshChecks(this.call.id);
      this.flushLocalCandidates();
    } catch (error) {
      const crossed = this.crossed;
      if (crossed && this.offer?.id === crossed.id && this.call?.user === user) {
        // The contact called us while our call was being placed, so the daemon refused ours: answer
        // theirs at once, as the glare rule does when both calls were placed (PROTOCOL.md 10B.3).
        this.dropMedia();
        this.ringing(crossed.id, user, crossed.media);
        await this.accept(crossed.media === "video" ? media : "audio");
        return;
      }

      this.end(error instanceof Error && error.message ? `The call could not start: ${error.message}` : "The call could not start.");
    }
  }

  onEvent(event: Record<string, unknown>): void {
    const user = str(event.user);
    const call = event.call as CallObject | undefined;
    if (!call || !user) {
      return;
    }

    const id = String(call.id);
    switch (call.update) {
      case "description":
        if (call.sdpType === "offer" && this.call?.id !== id) {
          // A new call's offer (an ICE-restart re-offer names the call in progress).
          this.offer = { id, sdp: String(call.sdp), fingerprint: String(call.fingerprint) };
        } else if (this.call?.id === id) {
          void this.applyDescription(call);
        }
        break;
      case "candidates":
        if (this.call?.id === id && Array.isArray(call.candidates)) {
          void this.peer?.addCandidates(call.candidates as RTCIceCandidateInit[]);
        }
        break;
      case "state":
        this.applyState(id, user, call);
        break;
      case "restart-ice":
        void this.restartIce();
        break;
      case "answer-now":
        if (this.offer?.id === id) {
          void this.accept(this.call?.media ?? "audio");
        }
        break;
      case "recorded":
        this.onRecorded(user);
        break;
    }
  }

  private applyState(id: string, user: string, call: CallObject): void {
    const state = str(call.state);
    if (state === "incoming" && (!this.call || this.call.id === id)) {
      this.ringing(id, user, mediaOf(call));
    } else if (state === "incoming" && this.call?.direction === "out" && this.call.id === "" && this.call.user === user) {
      this.crossed = { id, media: mediaOf(call) };
      this.view.status(`${user} is calling you…`);
    } else if (this.call?.id === id || (this.call?.direction === "out" && this.call.id === "")) {
      if (state === "outgoing") {
        this.view.status(call.peerRinging ? "Ringing…" : "Calling…");
      } else if (state === "connecting") {
        this.view.status("Connecting…");
      } else if (state === "connected") {
        this.view.connected();
        this.peer?.watchQuality((quality) => this.view.quality(quality));
        void this.refreshChecks(id);
      } else if (state === "reconnecting") {
        this.view.status("Reconnecting…");
      } else if (state === "ended") {
        this.end(endSentence(str(call.reason)));
      }
    }
  }

  private ringing(id: string, user: string, media: CallMedia): void {
    this.call = { id, user, direction: "in", media };
    this.view.show(user, media, "in", media === "video" ? "Incoming video call" : "Incoming voice call");
    this.ring.start();
    void this.refreshChecks(id);
  }

  /** The verified mark and (once connected) the short code, from the daemon (calls.current). */
  private async refreshChecks(id: string): Promise<void> {
    const result = (await this.api.rpc.call("calls.current", this.api.scopedParams()).catch(() => null)) as { call?: CallObject } | null;
    const call = result?.call;
    if (call && String(call.id) === id && this.call?.id === id) {
      this.view.verification(call.verified === true, str(call.shortCode));
    }
  }

  private async accept(media: CallMedia): Promise<void> {
    const call = this.call;
    const offer = this.offer;
    if (!call || !offer || offer.id !== call.id || this.peer || this.accepting) {
      return;
    }

    this.accepting = true;
    this.ring.stop();
    performance.mark("parley-call-accept");
    this.view.status("Connecting…");
    try {
      call.remoteFingerprint = offer.fingerprint;
      const peer = await this.connect(media, { type: "offer", sdp: offer.sdp });
      const sdp = await peer.answer();
      await this.api.rpc.call("calls.accept", this.api.scopedParams({ call: call.id, sdp }));
      this.flushLocalCandidates();
      await peer.addCandidates([]);
    } catch {
      void this.hangUp();
      this.end("The call could not be answered (camera or microphone unavailable?).");
    } finally {
      this.accepting = false;
    }
  }

  /** The relay-only peer connection, (callee) the caller's offer applied, and the camera and microphone. */
  private async connect(media: CallMedia, remote?: RTCSessionDescriptionInit): Promise<CallPeer> {
    const peer = await CallPeer.create(this.api, {
      candidate: (candidate) => {
        this.localCandidates.push(candidate);
        this.flushLocalCandidates();
      },
      track: (stream) => this.view.remote(stream),
      connectionState: (p) => void this.onConnectionState(p),
    });
    this.peer = peer;
    if (remote) {
      await peer.setRemote(remote);
    }

    this.view.local(await peer.addLocalMedia(media));
    void peer.devices().then((devices) => peer === this.peer && this.view.devices(devices), () => undefined);
    return peer;
  }

  private async switchDevice(kind: "audio" | "video", deviceId: string): Promise<void> {
    const peer = this.peer;
    try {
      if (peer) {
        this.view.local(await peer.switchDevice(kind, deviceId));
      }
    } catch {
      this.view.error(kind === "audio" ? "That microphone could not be used." : "That camera could not be used.");
    }
  }

  private async onConnectionState(peer: CallPeer): Promise<void> {
    const call = this.call;
    const pc = peer.pc;
    if (peer !== this.peer || !call || !call.id) {
      return;
    }

    const kind = pc.connectionState === "connected" ? "connected" : pc.connectionState === "failed" ? "failed" : pc.connectionState === "disconnected" ? "lost" : null;
    if (kind !== "connected") {
      if (kind) {
        await this.signal({ kind }).catch(() => undefined);
      }
      return;
    }

    const fingerprint = await remoteFingerprint(pc);
    if (!fingerprint || (call.remoteFingerprint && fingerprint.toUpperCase() !== call.remoteFingerprint.toUpperCase())) {
      this.view.security();
    }

    if (fingerprint) {
      const result = (await this.signal({ kind: "connected", fingerprint }).catch(() => ({ ok: false }))) as { ok: boolean };
      if (!result.ok) {
        this.view.security();
      }
    }
  }

  private async applyDescription(call: CallObject): Promise<void> {
    const peer = this.peer;
    if (!peer || !this.call) {
      return;
    }

    const type = call.sdpType === "offer" ? "offer" : "answer";
    if (this.call.direction === "out" && type === "answer" && !this.call.remoteFingerprint) {
      this.call.remoteFingerprint = String(call.fingerprint);
    }

    await peer.setRemote({ type, sdp: String(call.sdp) });
    if (type === "offer") {
      await this.signal({ kind: "answer", sdp: await peer.answer() }); // the caller's ICE restart
    }
  }

  private async restartIce(): Promise<void> {
    const peer = this.peer;
    if (!peer || this.call?.direction !== "out") {
      return;
    }

    await this.signal({ kind: "offer", sdp: await peer.offer(true) }).catch(() => undefined);
  }

  private flushLocalCandidates(): void {
    const call = this.call;
    if (!call?.id || (call.direction === "in" && !this.peer?.pc.localDescription) || this.localCandidates.length === 0) {
      return;
    }

    const candidates = this.localCandidates.splice(0, 32);
    void this.signal({ kind: "candidates", candidates }).catch(() => undefined);
    this.flushLocalCandidates();
  }

  private signal(params: Record<string, unknown>): Promise<unknown> {
    return this.api.rpc.call("calls.signal", this.api.scopedParams({ call: this.call?.id, ...params }));
  }

  private async hangUp(): Promise<void> {
    const id = this.call?.id;
    if (!id) {
      this.end("Call cancelled.");
      return;
    }

    await this.api.rpc.call("calls.hangup", this.api.scopedParams({ call: id })).catch(() => this.end("Call ended."));
  }

  /** Stops the media and closes the view with a last sentence. */
  private end(sentence: string): void {
    this.dropMedia();
    this.call = null;
    this.offer = null;
    this.view.ended(sentence);
  }

  private dropMedia(): void {
    this.ring.stop();
    this.peer?.close();
    this.peer = null;
    this.crossed = null;
    this.localCandidates = [];
  }
}
