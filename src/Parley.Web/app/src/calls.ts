// 1:1 calls in the browser (PROTOCOL.md 10B, API.md calls.*). The daemon runs the call state machine
// and carries every signal end-to-end encrypted; this page does the media (CallPeer: a relay-only
// RTCPeerConnection, camera and microphone), rings, and shows the call. Once connected, the remote
// DTLS certificate fingerprint from getStats goes back to the daemon, which ends the call with a
// security error unless it equals the one received through the encrypted channel.

import type { Api } from "./api";
import { remoteFingerprint } from "./callmedia";
import { RpcError } from "./rpc";
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

/** A contact's offer of a new call, kept until it is answered. */
interface RemoteOffer {
  id: string;
  sdp: string;
  fingerprint: string;
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
  private offer: RemoteOffer | null = null;
  private localCandidates: RTCIceCandidateInit[] = [];
  /** Our call to this contact lost a glare (superseded): the media asked for, to answer theirs with. */
  private superseded: { user: string; media: CallMedia } | null = null;
  /** The last steps and events (no SDP, no candidates), for the browser tests' failure reports. */
  private readonly trace: string[] = [];

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
      parleyCallState: () => ({
        call: this.call && { id: this.call.id, user: this.call.user, direction: this.call.direction, media: this.call.media },
        offer: this.offer?.id ?? null,
        accepting: this.accepting,
        peer: this.peer ? this.peer.pc.connectionState : null,
        trace: this.trace,
      }),
    });
  }

  get busy(): boolean {
    return this.call !== null;
  }

  /** A call ringing here when the page opened (calls.current). */
  async resume(): Promise<void> {
    const ringing = await this.ringingCall();
    if (ringing && !this.call) {
      this.offer = ringing.offer;
      this.ringing(ringing.id, ringing.user, ringing.media);
    }
  }

  async start(user: string, media: CallMedia): Promise<void> {
    if (this.call) {
      this.view.error("You are already in a call.");
      return;
    }

    // The daemon's answer to calls.start and the events of the call it places travel apart (events
    // may come first), and the user may hang up meanwhile: `placing` stays the page's call only as
    // long as nothing replaced it, and every step checks that it still is.
    const placing: CallInfo = { id: "", user, direction: "out", media };
    this.call = placing;
    this.superseded = null;
    this.view.show(user, media, "out", "Calling…");
    let id: string;
    try {
      this.note("start: media");
      const peer = await this.connect(placing, media);
      const sdp = peer && this.call === placing ? await peer.offer() : null;
      if (sdp === null || this.call !== placing) {
        return; // cancelled before the daemon heard of it
      }

      this.note("start: calls.start");
      const started = (await this.api.rpc.call("calls.start", this.api.scopedParams({ to: user, media, sdp }))) as { call: CallObject };
      id = String(started.call.id);
      this.note(`start: placed ${id.slice(0, 8)}${this.call === placing ? "" : " (no longer ours)"}`);
    } catch (error) {
      this.note(`start: failed ${error instanceof RpcError ? (error.kind ?? error.code) : String(error)}`);
      if (this.call === placing) {
        await this.notPlaced(placing, error);
      }

      return;
    }

    if (this.call !== placing) {
      // Cancelled here, or superseded by the contact's call, while the daemon placed it: hang up
      // that call and only that one (the daemon refuses an id that is not its current call's).
      void this.api.rpc.call("calls.hangup", this.api.scopedParams({ call: id })).catch(() => undefined);
      return;
    }

    placing.id = id; // the daemon's answer is authoritative
    void this.refreshChecks(id);
    this.flushLocalCandidates();
  }

  /**
   * calls.start failed. Busy means a call reached the daemon first: the contact's own call to us
   * (glare; answered at once, as when both calls were placed, PROTOCOL.md 10B.3) or someone else's,
   * which then rings here. Decided from the daemon's current call, not from events that may still be
   * on their way.
   */
  private async notPlaced(placing: CallInfo, error: unknown): Promise<void> {
    const busy = error instanceof RpcError && error.kind === "callBusy";
    const ringing = busy ? await this.ringingCall() : null;
    if (this.call !== placing) {
      return;
    }

    if (!ringing) {
      this.end(error instanceof Error && error.message ? `The call could not start: ${error.message}` : "The call could not start.");
      return;
    }

    this.dropMedia();
    this.offer = ringing.offer;
    this.ringing(ringing.id, ringing.user, ringing.media);
    if (ringing.user === placing.user) {
      await this.accept(ringing.media === "video" ? placing.media : "audio");
    }
  }

  /** The call ringing here, with its offer (calls.current); null when none. */
  private async ringingCall(): Promise<{ id: string; user: string; media: CallMedia; offer: RemoteOffer } | null> {
    const result = (await this.api.rpc.call("calls.current", this.api.scopedParams()).catch(() => ({}))) as { user?: string; call?: CallObject };
    const call = result.call;
    if (!call || !result.user || str(call.state) !== "incoming" || !str(call.sdp) || !str(call.fingerprint)) {
      return null;
    }

    const offer = { id: String(call.id), sdp: String(call.sdp), fingerprint: String(call.fingerprint) };
    return { id: offer.id, user: result.user, media: mediaOf(call), offer };
  }

  onEvent(event: Record<string, unknown>): void {
    const user = str(event.user);
    const call = event.call as CallObject | undefined;
    if (!call || !user) {
      return;
    }

    const id = String(call.id);
    this.note(`event ${String(call.update)} ${id.slice(0, 8)} ${str(call.state) ?? str(call.sdpType) ?? ""} ${str(call.reason) ?? ""}`);
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
      case "answer-now": {
        // Our own call lost the glare: answer theirs with what we asked for (voice if either is voice).
        const asked = this.superseded?.user === user ? this.superseded.media : "audio";
        if (this.offer?.id === id && this.call?.id === id) {
          void this.accept(this.call.media === "video" ? asked : "audio");
        }
        break;
      }
      case "recorded":
        this.onRecorded(user);
        break;
    }
  }

  private applyState(id: string, user: string, call: CallObject): void {
    const state = str(call.state);
    const mine = this.call;
    if (mine?.direction === "out" && mine.id === "" && mine.user === user && call.direction === "out" && state === "outgoing") {
      mine.id = id; // our call's first event, ahead of calls.start's answer
      this.flushLocalCandidates();
    }

    if (state === "incoming" && (!this.call || this.call.id === id)) {
      this.ringing(id, user, mediaOf(call));
    } else if (state === "incoming" && this.call?.direction === "out" && this.call.id === "" && this.call.user === user) {
      this.view.status(`${user} is calling you…`); // our calls.start will fail busy; notPlaced answers theirs
    } else if (this.call?.id === id) {
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
      } else if (state === "ended" && str(call.reason) === "superseded") {
        // Glare lost: the contact's call rings next and is answered at once ("answer-now").
        this.superseded = { user, media: this.call.media };
        this.dropMedia();
        this.call = null;
        this.offer = null;
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
      const peer = await this.connect(call, media, { type: "offer", sdp: offer.sdp });
      const sdp = peer && this.call === call ? await peer.answer() : null;
      if (!peer || sdp === null || this.call !== call) {
        return; // the call ended meanwhile
      }

      await this.api.rpc.call("calls.accept", this.api.scopedParams({ call: call.id, sdp }));
      this.flushLocalCandidates();
      await peer.addCandidates([]);
    } catch {
      if (this.call === call) {
        void this.hangUp();
        this.end("The call could not be answered (camera or microphone unavailable?).");
      }
    } finally {
      this.accepting = false;
    }
  }

  /**
   * The relay-only peer connection, (callee) the caller's offer applied, and the camera and
   * microphone; null (and nothing left open) when `owner` stopped being the page's call meanwhile.
   */
  private async connect(owner: CallInfo, media: CallMedia, remote?: RTCSessionDescriptionInit): Promise<CallPeer | null> {
    const peer = await CallPeer.create(this.api, {
      candidate: (candidate) => {
        if (peer === this.peer) {
          this.localCandidates.push(candidate);
          this.flushLocalCandidates();
        }
      },
      track: (stream) => peer === this.peer && this.view.remote(stream),
      connectionState: (p) => void this.onConnectionState(p),
    });
    if (this.call !== owner) {
      peer.close();
      return null;
    }

    this.peer = peer;
    try {
      if (remote) {
        await peer.setRemote(remote);
      }

      const local = await peer.addLocalMedia(media);
      if (this.peer !== peer) {
        return null;
      }

      this.view.local(local);
    } finally {
      if (this.peer !== peer) {
        peer.close(); // ended meanwhile: release the camera and microphone opened for it
      }
    }

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

  /** Keeps one line of the trace (the last 40). */
  private note(what: string): void {
    this.trace.push(`${Math.round(performance.now())} ${what}`);
    this.trace.splice(0, this.trace.length - 40);
  }

  private dropMedia(): void {
    this.ring.stop();
    this.peer?.close();
    this.peer = null;
    this.localCandidates = [];
  }
}
