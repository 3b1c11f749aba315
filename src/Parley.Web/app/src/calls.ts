// 1:1 calls in the browser (PROTOCOL.md 10B, API.md calls.*). The daemon runs the call state machine
// and carries every signal end-to-end encrypted; this page does the media (CallLink: a relay-only
// RTCPeerConnection, camera and microphone), rings, and shows the call. This controller decides what
// the page's one call is: placing, ringing, answering, the glare cases and the end.
//
// The daemon's answer to a request and the events of the call it concerns travel apart, so events may
// come first; and the user may hang up at any time. So the page's call is one object, and every step
// that waited checks that it still is the page's call before it acts.

import type { Api } from "./api";
import { CallLink } from "./calllink";
import { currentChecks, mediaOf, ringingCall, str, type CallInfo, type CallObject, type CallPorts, type CallScreen, type RemoteOffer } from "./callports";
import { RpcError } from "./rpc";
import { endSentence, type CallMedia } from "./views/call";

export class CallController {
  private readonly view: CallScreen;
  private readonly link: CallLink;
  private call: CallInfo | null = null;
  private accepting = false;
  private offer: RemoteOffer | null = null;
  /** Our call to this contact lost a glare (superseded): the media asked for, to answer theirs with. */
  private superseded: { user: string; media: CallMedia } | null = null;
  /** The last steps and events (no SDP, no candidates), for the browser tests' failure reports. */
  private readonly trace: string[] = [];

  constructor(
    private readonly api: Api,
    private readonly ports: CallPorts,
    private readonly onRecorded: (user: string) => void,
  ) {
    this.view = ports.screen({
      accept: (media) => void this.accept(media),
      decline: () => {
        this.ports.ring.stop();
        void this.api.rpc.call("calls.decline", this.api.scopedParams({ call: this.call?.id })).catch(() => undefined);
      },
      hangUp: () => void this.hangUp(),
      mute: (muted) => this.link.enable("audio", !muted),
      camera: (off) => this.link.enable("video", !off),
      device: (kind, id) => void this.link.switchDevice(kind, id),
    });
    this.link = new CallLink(api, this.view, ports.createPeer, () => this.call);
  }

  get busy(): boolean {
    return this.call !== null;
  }

  stats(): Promise<RTCStatsReport | null> {
    return this.link.stats();
  }

  /** The page's call, its offer, its media's state and the trace (the browser tests' failure reports). */
  describe(): Record<string, unknown> {
    const call = this.call && { id: this.call.id, user: this.call.user, direction: this.call.direction, media: this.call.media };
    return { call, offer: this.offer?.id ?? null, accepting: this.accepting, media: this.link.connectionState, trace: [...this.trace] };
  }

  /** A call ringing here when the page opened (calls.current). */
  async resume(): Promise<void> {
    const ringing = await ringingCall(this.api);
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

    const placing: CallInfo = { id: "", user, direction: "out", media };
    this.call = placing;
    this.superseded = null;
    this.view.show(user, media, "out", "Calling…");
    let id: string;
    try {
      this.note("start: media");
      const peer = await this.link.open(placing, media);
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
    this.link.flush();
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
          void this.link.applyDescription(call.sdpType === "offer" ? "offer" : "answer", String(call.sdp), String(call.fingerprint));
        }
        break;
      case "candidates":
        if (this.call?.id === id && Array.isArray(call.candidates)) {
          this.link.addRemoteCandidates(call.candidates as RTCIceCandidateInit[]);
        }
        break;
      case "state":
        this.applyState(id, user, call);
        break;
      case "restart-ice":
        void this.link.restartIce();
        break;
      case "answer-now": {
        // Our own call lost the glare: answer theirs with what we asked for (voice if either is voice).
        if (this.offer?.id === id && this.call?.id === id) {
          const asked = this.superseded?.user === user ? this.superseded.media : this.call.media;
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
      this.link.flush();
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
        this.link.connected();
        void this.refreshChecks(id);
      } else if (state === "reconnecting") {
        this.view.status("Reconnecting…");
      } else if (state === "ended" && str(call.reason) === "superseded") {
        // Glare lost: the contact's call rings next and is answered at once ("answer-now").
        this.superseded = { user, media: this.call.media };
        this.drop();
      } else if (state === "ended") {
        this.end(endSentence(str(call.reason), this.call.direction === "in"));
      }
    }
  }

  /**
   * calls.start failed. Busy means a call reached the daemon first: the contact's own call to us
   * (glare; answered at once, as when both calls were placed, PROTOCOL.md 10B.3) or someone else's,
   * which then rings here. Decided from the daemon's current call, not from events that may still be
   * on their way.
   */
  private async notPlaced(placing: CallInfo, error: unknown): Promise<void> {
    const busy = error instanceof RpcError && error.kind === "callBusy";
    const ringing = busy ? await ringingCall(this.api) : null;
    if (this.call !== placing) {
      return;
    }

    if (!ringing) {
      this.end(error instanceof Error && error.message ? `The call could not start: ${error.message}` : "The call could not start.");
      return;
    }

    this.drop();
    this.offer = ringing.offer;
    this.ringing(ringing.id, ringing.user, ringing.media);
    if (ringing.user === placing.user) {
      await this.accept(ringing.media === "video" ? placing.media : "audio");
    }
  }

  private ringing(id: string, user: string, media: CallMedia): void {
    this.call = { id, user, direction: "in", media };
    this.view.show(user, media, "in", media === "video" ? "Incoming video call" : "Incoming voice call");
    this.ports.ring.start();
    void this.refreshChecks(id);
  }

  /** The verified mark and (once connected) the short code, from the daemon. */
  private async refreshChecks(id: string): Promise<void> {
    const checks = await currentChecks(this.api, id);
    if (checks && this.call?.id === id) {
      this.view.verification(checks.verified, checks.shortCode);
    }
  }

  private async accept(media: CallMedia): Promise<void> {
    const call = this.call;
    const offer = this.offer;
    if (!call || !offer || offer.id !== call.id || this.link.isOpen || this.accepting) {
      return;
    }

    this.accepting = true;
    this.ports.ring.stop();
    performance.mark("parley-call-accept");
    this.view.status("Connecting…");
    try {
      call.remoteFingerprint = offer.fingerprint;
      const peer = await this.link.open(call, media, { type: "offer", sdp: offer.sdp });
      const sdp = peer && this.call === call ? await peer.answer() : null;
      if (!peer || sdp === null || this.call !== call) {
        return; // the call ended meanwhile
      }

      await this.api.rpc.call("calls.accept", this.api.scopedParams({ call: call.id, sdp }));
      this.link.flush();
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

  private async hangUp(): Promise<void> {
    const id = this.call?.id;
    if (!id) {
      this.end("Call cancelled."); // still being placed: start() hangs up what the daemon placed
      return;
    }

    await this.api.rpc.call("calls.hangup", this.api.scopedParams({ call: id })).catch(() => this.end("Call ended."));
  }

  /** Stops the media and closes the view with a last sentence. */
  private end(sentence: string): void {
    this.drop();
    this.view.ended(sentence);
  }

  /** Forgets the call: no ring, no media, no offer. */
  private drop(): void {
    this.ports.ring.stop();
    this.link.close();
    this.call = null;
    this.offer = null;
  }

  /** Keeps one line of the trace (the last 40). */
  private note(what: string): void {
    this.trace.push(`${Math.round(performance.now())} ${what}`);
    this.trace.splice(0, this.trace.length - 40);
  }
}
