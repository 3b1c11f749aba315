// 1:1 calls in the browser (PROTOCOL.md 10B, API.md calls.*). The daemon runs the call state machine
// and carries every signal end-to-end encrypted; this page does the media: getUserMedia and one
// RTCPeerConnection that may only use the TURN relay the daemon's server hands out
// (iceTransportPolicy "relay", no STUN), so the contact never learns this machine's address. Once
// connected, the remote DTLS certificate fingerprint from getStats goes back to the daemon, which
// ends the call with a security error unless it equals the one received through the encrypted channel.

import type { Api } from "./api";
import { CallView, type CallMedia } from "./views/call";

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

/** "sha-256 AB:CD:…" from getStats' certificate of the selected transport, or null before DTLS is up. */
export async function remoteFingerprint(pc: RTCPeerConnection): Promise<string | null> {
  const stats = await pc.getStats();
  let certificateId: string | undefined;
  stats.forEach((report) => {
    if (report.type === "transport" && typeof report.remoteCertificateId === "string") {
      certificateId = report.remoteCertificateId;
    }
  });
  const certificate = certificateId ? stats.get(certificateId) : undefined;
  if (!certificate || typeof certificate.fingerprint !== "string" || String(certificate.fingerprintAlgorithm).toLowerCase() !== "sha-256") {
    return null;
  }

  return `sha-256 ${certificate.fingerprint.toUpperCase()}`;
}

export class CallController {
  private readonly view: CallView;
  private call: CallInfo | null = null;
  private pc: RTCPeerConnection | null = null;
  private local: MediaStream | null = null;
  private offer: { id: string; sdp: string; fingerprint: string } | null = null;
  private remoteCandidates: RTCIceCandidateInit[] = [];
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
      decline: () => void this.api.rpc.call("calls.decline", this.api.scopedParams({ call: this.call?.id })).catch(() => undefined),
      hangUp: () => void this.hangUp(),
      mute: (muted) => this.local?.getAudioTracks().forEach((t) => (t.enabled = !muted)),
      camera: (off) => this.local?.getVideoTracks().forEach((t) => (t.enabled = !off)),
    });
    (window as unknown as { parleyCallStats?: () => Promise<RTCStatsReport | null> }).parleyCallStats = () => (this.pc ? this.pc.getStats() : Promise.resolve(null));
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
      this.ringing(String(call.id), result.user, call.media === "video" ? "video" : "audio");
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
      const pc = await this.connect(media);
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      const started = (await this.api.rpc.call("calls.start", this.api.scopedParams({ to: user, media, sdp: pc.localDescription!.sdp }))) as { call: CallObject };
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
          this.remoteCandidates.push(...(call.candidates as RTCIceCandidateInit[]));
          void this.flushRemoteCandidates();
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
      this.ringing(id, user, call.media === "video" ? "video" : "audio");
    } else if (state === "incoming" && this.call?.direction === "out" && this.call.id === "" && this.call.user === user) {
      this.crossed = { id, media: call.media === "video" ? "video" : "audio" };
      this.view.status(`${user} is calling you…`);
    } else if (this.call?.id === id || (this.call?.direction === "out" && this.call.id === "")) {
      if (state === "outgoing") {
        this.view.status(call.peerRinging ? "Ringing…" : "Calling…");
      } else if (state === "connecting") {
        this.view.status("Connecting…");
      } else if (state === "connected") {
        this.view.connected();
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
    if (!call || !offer || offer.id !== call.id || this.pc) {
      return;
    }

    performance.mark("parley-call-accept");
    this.view.status("Connecting…");
    try {
      call.remoteFingerprint = offer.fingerprint;
      const pc = await this.connect(media, { type: "offer", sdp: offer.sdp });
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      await this.api.rpc.call("calls.accept", this.api.scopedParams({ call: call.id, sdp: pc.localDescription!.sdp }));
      this.flushLocalCandidates();
      await this.flushRemoteCandidates();
    } catch {
      void this.hangUp();
      this.end("The call could not be answered (camera or microphone unavailable?).");
    }
  }

  /** getUserMedia, the relay-only peer connection, and (callee) the caller's offer applied. */
  private async connect(media: CallMedia, remote?: RTCSessionDescriptionInit): Promise<RTCPeerConnection> {
    const turn = (await this.api.rpc.call("calls.turn", this.api.scopedParams())) as { uris: string[]; username: string; credential: string };
    const pc = new RTCPeerConnection({ iceServers: [{ urls: turn.uris, username: turn.username, credential: turn.credential }], iceTransportPolicy: "relay" });
    this.pc = pc;
    pc.onicecandidate = (e) => {
      if (e.candidate && e.candidate.candidate) {
        // Exactly the API's fields (it refuses unknown ones such as usernameFragment).
        const { candidate, sdpMid, sdpMLineIndex } = e.candidate;
        this.localCandidates.push({ candidate, sdpMid, sdpMLineIndex });
        this.flushLocalCandidates();
      }
    };
    pc.ontrack = (e) => this.view.remote(e.streams[0] ?? new MediaStream([e.track]));
    pc.onconnectionstatechange = () => void this.onConnectionState(pc);
    if (remote) {
      await pc.setRemoteDescription(remote);
    }

    this.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: media === "video" });
    this.view.local(this.local);
    for (const track of this.local.getTracks()) {
      pc.addTrack(track, this.local);
    }

    return pc;
  }

  private async onConnectionState(pc: RTCPeerConnection): Promise<void> {
    const call = this.call;
    if (pc !== this.pc || !call || !call.id) {
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
    const pc = this.pc;
    if (!pc || !this.call) {
      return;
    }

    const type = call.sdpType === "offer" ? "offer" : "answer";
    if (this.call.direction === "out" && type === "answer" && !this.call.remoteFingerprint) {
      this.call.remoteFingerprint = String(call.fingerprint);
    }

    await pc.setRemoteDescription({ type, sdp: String(call.sdp) });
    if (type === "offer") {
      const answer = await pc.createAnswer(); // the caller's ICE restart
      await pc.setLocalDescription(answer);
      await this.signal({ kind: "answer", sdp: pc.localDescription!.sdp });
    }

    await this.flushRemoteCandidates();
  }

  private async restartIce(): Promise<void> {
    const pc = this.pc;
    if (!pc || this.call?.direction !== "out") {
      return;
    }

    const offer = await pc.createOffer({ iceRestart: true });
    await pc.setLocalDescription(offer);
    await this.signal({ kind: "offer", sdp: pc.localDescription!.sdp }).catch(() => undefined);
  }

  private async flushRemoteCandidates(): Promise<void> {
    const pc = this.pc;
    if (!pc || !pc.remoteDescription) {
      return;
    }

    const candidates = this.remoteCandidates.splice(0);
    for (const candidate of candidates) {
      if (candidate.candidate) {
        await pc.addIceCandidate(candidate).catch(() => undefined);
      }
    }
  }

  private flushLocalCandidates(): void {
    const call = this.call;
    if (!call?.id || (call.direction === "in" && !this.pc?.localDescription) || this.localCandidates.length === 0) {
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
    this.pc?.close();
    this.pc = null;
    this.local?.getTracks().forEach((t) => t.stop());
    this.local = null;
    this.crossed = null;
    this.remoteCandidates = [];
    this.localCandidates = [];
  }
}

function endSentence(reason: string | undefined): string {
  switch (reason) {
    case "security-error":
      return "Call ended: security check failed — the connection was not end-to-end with your contact.";
    case "remote-declined":
      return "Declined.";
    case "cancelled":
      return "Call cancelled.";
    case "remote-cancelled":
      return "Missed call: the caller hung up.";
    case "remote-busy":
      return "Busy in another call.";
    case "no-answer":
      return "No answer.";
    case "failed":
      return "The call could not connect.";
    case "connection-lost":
      return "Connection lost.";
    case "untrusted-identity":
      return "Refused: their safety number changed.";
    default:
      return "Call ended.";
  }
}
