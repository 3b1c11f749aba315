// The media of the page's one call (PROTOCOL.md 10B): the peer connection opened for it, the local
// ICE candidates trickled to the daemon once the call has an id, the transport's state reported back
// (connected only with the remote certificate's fingerprint from getStats, which the daemon checks
// against the one signalled through the encrypted channel), the contact's descriptions and candidates
// applied, the caller's ICE restarts, device switches and the quality indicator.

import type { Api } from "./api";
import type { Quality } from "./callmedia";
import type { MediaPeer, PeerFactory } from "./callpeer";
import type { CallMedia } from "./views/call";
import type { DeviceList } from "./views/calldevices";

/** The call as the link needs it (the controller's record of it). */
export interface LinkedCall {
  readonly id: string;
  readonly direction: "out" | "in";
  /** The contact's DTLS fingerprint as signalled (the offer's, or for the caller the accept's). */
  remoteFingerprint?: string;
}

/** What the link shows of the media. */
export interface LinkScreen {
  local(stream: MediaStream): void;
  remote(stream: MediaStream): void;
  devices(devices: DeviceList): void;
  quality(quality: Quality): void;
  security(): void;
  error(text: string): void;
}

/** Most candidates in one calls.signal (the API's bound). */
const CandidatesPerSignal = 32;

export class CallLink {
  private peer: MediaPeer | null = null;
  private candidates: RTCIceCandidateInit[] = [];

  constructor(
    private readonly api: Api,
    private readonly screen: LinkScreen,
    private readonly createPeer: PeerFactory,
    /** The page's call now, or null. */
    private readonly current: () => LinkedCall | null,
  ) {}

  get isOpen(): boolean {
    return this.peer !== null;
  }

  /** The peer connection's state (diagnostics). */
  get connectionState(): string | null {
    return this.peer?.connectionState ?? null;
  }

  stats(): Promise<RTCStatsReport | null> {
    return this.peer ? this.peer.stats() : Promise.resolve(null);
  }

  /**
   * The relay-only peer connection for `owner`, (callee) the caller's offer applied, and the camera
   * and microphone; null, with nothing left open, when `owner` stopped being the page's call meanwhile.
   */
  async open(owner: LinkedCall, media: CallMedia, remote?: RTCSessionDescriptionInit): Promise<MediaPeer | null> {
    const peer: MediaPeer = await this.createPeer({
      candidate: (candidate) => {
        if (peer === this.peer) {
          this.candidates.push(candidate);
          this.flush();
        }
      },
      track: (stream) => peer === this.peer && this.screen.remote(stream),
      connectionState: (p) => void this.onConnectionState(p),
    });
    if (this.current() !== owner) {
      peer.close();
      return null;
    }

    this.close();
    this.peer = peer;
    try {
      if (remote) {
        await peer.setRemote(remote);
      }

      const local = await peer.addLocalMedia(media);
      if (this.peer !== peer) {
        return null;
      }

      this.screen.local(local);
    } finally {
      if (this.peer !== peer) {
        peer.close(); // the call ended meanwhile: release the camera and microphone opened for it
      }
    }

    void peer.devices().then((devices) => peer === this.peer && this.screen.devices(devices), () => undefined);
    return peer;
  }

  /** Stops the media and forgets unsent candidates. */
  close(): void {
    this.peer?.close();
    this.peer = null;
    this.candidates = [];
  }

  /** Enables or disables the local tracks of one kind (mute, camera off). */
  enable(kind: "audio" | "video", enabled: boolean): void {
    const stream = this.peer?.localStream;
    (kind === "audio" ? stream?.getAudioTracks() : stream?.getVideoTracks())?.forEach((t) => (t.enabled = enabled));
  }

  /** The call connected: sample its quality. */
  connected(): void {
    this.peer?.watchQuality((quality) => this.screen.quality(quality));
  }

  addRemoteCandidates(candidates: RTCIceCandidateInit[]): void {
    void this.peer?.addCandidates(candidates);
  }

  /** The contact's accept or answer (to us, the caller), or its ICE-restart re-offer (to us, the callee). */
  async applyDescription(type: "offer" | "answer", sdp: string, fingerprint: string): Promise<void> {
    const peer = this.peer;
    const call = this.current();
    if (!peer || !call) {
      return;
    }

    if (call.direction === "out" && type === "answer" && !call.remoteFingerprint) {
      call.remoteFingerprint = fingerprint;
    }

    await peer.setRemote({ type, sdp });
    if (type === "offer") {
      await this.signal({ kind: "answer", sdp: await peer.answer() }); // the caller's ICE restart
    }
  }

  /** The daemon asks the caller to restart ICE (media lost). */
  async restartIce(): Promise<void> {
    const peer = this.peer;
    if (!peer || this.current()?.direction !== "out") {
      return;
    }

    await this.signal({ kind: "offer", sdp: await peer.offer(true) }).catch(() => undefined);
  }

  async switchDevice(kind: "audio" | "video", deviceId: string): Promise<void> {
    const peer = this.peer;
    try {
      if (peer) {
        this.screen.local(await peer.switchDevice(kind, deviceId));
      }
    } catch {
      this.screen.error(kind === "audio" ? "That microphone could not be used." : "That camera could not be used.");
    }
  }

  /** Sends the local candidates held so far, once the call has an id (and, as callee, once answered). */
  flush(): void {
    const call = this.current();
    if (!call?.id || (call.direction === "in" && !this.peer?.hasLocalDescription) || this.candidates.length === 0) {
      return;
    }

    const candidates = this.candidates.splice(0, CandidatesPerSignal);
    void this.signal({ kind: "candidates", candidates }).catch(() => undefined);
    this.flush();
  }

  private async onConnectionState(peer: MediaPeer): Promise<void> {
    const call = this.current();
    if (peer !== this.peer || !call?.id) {
      return;
    }

    const state = peer.connectionState;
    const kind = state === "connected" ? "connected" : state === "failed" ? "failed" : state === "disconnected" ? "lost" : null;
    if (kind !== "connected") {
      if (kind) {
        await this.signal({ kind }).catch(() => undefined);
      }
      return;
    }

    const fingerprint = await peer.remoteFingerprint();
    if (!fingerprint || (call.remoteFingerprint && fingerprint.toUpperCase() !== call.remoteFingerprint.toUpperCase())) {
      this.screen.security();
    }

    if (fingerprint) {
      const result = (await this.signal({ kind: "connected", fingerprint }).catch(() => ({ ok: false }))) as { ok: boolean };
      if (!result.ok) {
        this.screen.security();
      }
    }
  }

  private signal(params: Record<string, unknown>): Promise<unknown> {
    return this.api.rpc.call("calls.signal", this.api.scopedParams({ call: this.current()?.id, ...params }));
  }
}
