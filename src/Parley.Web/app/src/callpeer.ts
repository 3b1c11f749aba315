// One call's media: an RTCPeerConnection that may only use the TURN relay the daemon's server hands
// out (iceTransportPolicy "relay", no STUN), so the contact never learns this machine's address, and
// the local camera and microphone. It applies descriptions and candidates, switches devices and
// samples the connection quality; what to send goes back through PeerEvents.

import type { Api } from "./api";
import { listDevices, lossBetween, rateQuality, remoteFingerprint, sampleConnection, switchDevice, type PacketCounts, type Quality } from "./callmedia";
import type { CallMedia } from "./views/call";
import type { DeviceList } from "./views/calldevices";

/** How often the connection quality is sampled from getStats. */
const QualityIntervalMs = 2_000;

export interface PeerEvents {
  /** A local candidate to trickle to the contact (exactly the API's fields). */
  candidate(candidate: RTCIceCandidateInit): void;
  track(stream: MediaStream): void;
  connectionState(peer: MediaPeer): void;
}

/** What the call flow uses of one call's media: CallPeer in the browser, a fake in the unit tests. */
export interface MediaPeer {
  readonly connectionState: RTCPeerConnectionState;
  readonly hasLocalDescription: boolean;
  readonly localStream: MediaStream | null;
  addLocalMedia(media: CallMedia): Promise<MediaStream>;
  offer(iceRestart?: boolean): Promise<string>;
  answer(): Promise<string>;
  setRemote(description: RTCSessionDescriptionInit): Promise<void>;
  addCandidates(candidates: RTCIceCandidateInit[]): Promise<void>;
  devices(): Promise<DeviceList>;
  switchDevice(kind: "audio" | "video", deviceId: string): Promise<MediaStream>;
  watchQuality(report: (quality: Quality) => void): void;
  /** The remote certificate's fingerprint as getStats reports it (`sha-256 AB:…`), or null. */
  remoteFingerprint(): Promise<string | null>;
  stats(): Promise<RTCStatsReport>;
  close(): void;
}

/** Opens a call's media (fresh TURN credentials, a relay-only connection); tells `events` what it produces. */
export type PeerFactory = (events: PeerEvents) => Promise<MediaPeer>;

export class CallPeer implements MediaPeer {
  private local: MediaStream | null = null;
  private readonly pendingCandidates: RTCIceCandidateInit[] = [];
  private qualityTimer: ReturnType<typeof setInterval> | null = null;

  private constructor(readonly pc: RTCPeerConnection) {}

  /** Fresh TURN credentials (calls.turn, one per call attempt) and a relay-only peer connection. */
  static async create(api: Api, events: PeerEvents): Promise<CallPeer> {
    const turn = (await api.rpc.call("calls.turn", api.scopedParams())) as { uris: string[]; username: string; credential: string };
    const peer = new CallPeer(new RTCPeerConnection({ iceServers: [{ urls: turn.uris, username: turn.username, credential: turn.credential }], iceTransportPolicy: "relay" }));
    peer.pc.onicecandidate = (e) => {
      if (e.candidate && e.candidate.candidate) {
        // Exactly the API's fields (it refuses unknown ones such as usernameFragment).
        const { candidate, sdpMid, sdpMLineIndex } = e.candidate;
        events.candidate({ candidate, sdpMid, sdpMLineIndex });
      }
    };
    peer.pc.ontrack = (e) => events.track(e.streams[0] ?? new MediaStream([e.track]));
    peer.pc.onconnectionstatechange = () => events.connectionState(peer);
    return peer;
  }

  get localStream(): MediaStream | null {
    return this.local;
  }

  get connectionState(): RTCPeerConnectionState {
    return this.pc.connectionState;
  }

  get hasLocalDescription(): boolean {
    return this.pc.localDescription !== null;
  }

  remoteFingerprint(): Promise<string | null> {
    return remoteFingerprint(this.pc);
  }

  stats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  /** The camera (for video) and microphone, added to the connection (released again if it closed meanwhile). */
  async addLocalMedia(media: CallMedia): Promise<MediaStream> {
    const local = await navigator.mediaDevices.getUserMedia({ audio: true, video: media === "video" });
    if (this.pc.signalingState === "closed") {
      local.getTracks().forEach((t) => t.stop());
      throw new Error("The call ended while the camera and microphone opened.");
    }

    this.local = local;
    for (const track of local.getTracks()) {
      this.pc.addTrack(track, local);
    }

    return local;
  }

  /** Our offer (or, with iceRestart, the re-offer), set locally; its SDP. */
  async offer(iceRestart = false): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer({ iceRestart }));
    return this.pc.localDescription!.sdp;
  }

  /** Our answer to the remote offer, set locally; its SDP. */
  async answer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return this.pc.localDescription!.sdp;
  }

  /** Applies the contact's description, then any candidates that waited for it. */
  async setRemote(description: RTCSessionDescriptionInit): Promise<void> {
    await this.pc.setRemoteDescription(description);
    await this.addCandidates([]);
  }

  /** The contact's candidates: applied once the remote description is set, held before. */
  async addCandidates(candidates: RTCIceCandidateInit[]): Promise<void> {
    this.pendingCandidates.push(...candidates);
    if (!this.pc.remoteDescription) {
      return;
    }

    for (const candidate of this.pendingCandidates.splice(0)) {
      if (candidate.candidate) {
        await this.pc.addIceCandidate(candidate).catch(() => undefined);
      }
    }
  }

  /** The cameras and microphones, and which of them the call uses. */
  async devices(): Promise<DeviceList> {
    const devices = await listDevices();
    const inUse = (track: MediaStreamTrack | undefined) => track?.getSettings().deviceId;
    return { ...devices, camera: inUse(this.local?.getVideoTracks()[0]), microphone: inUse(this.local?.getAudioTracks()[0]) };
  }

  /** Switches the camera or microphone without renegotiating (replaceTrack). */
  async switchDevice(kind: "audio" | "video", deviceId: string): Promise<MediaStream> {
    if (!this.local) {
      throw new Error("No local media yet.");
    }

    await switchDevice(this.pc, this.local, kind, deviceId);
    return this.local;
  }

  /** Samples getStats every few seconds until closed: round-trip time and packet loss → good / fair / poor. */
  watchQuality(report: (quality: Quality) => void): void {
    if (this.qualityTimer) {
      return;
    }

    let previous: PacketCounts | null = null;
    const sample = async (): Promise<void> => {
      const { rtt, packets } = await sampleConnection(this.pc);
      const loss = previous ? lossBetween(previous, packets) : 0;
      previous = packets;
      if (rtt !== null && this.qualityTimer) {
        report(rateQuality(rtt, loss));
      }
    };
    this.qualityTimer = setInterval(() => void sample().catch(() => undefined), QualityIntervalMs);
    void sample().catch(() => undefined);
  }

  /** Stops sampling, closes the connection and releases the camera and microphone. */
  close(): void {
    if (this.qualityTimer) {
      clearInterval(this.qualityTimer);
      this.qualityTimer = null;
    }

    this.pc.close();
    this.local?.getTracks().forEach((t) => t.stop());
    this.local = null;
  }
}
