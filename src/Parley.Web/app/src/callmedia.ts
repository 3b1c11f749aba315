// What the call page reads from and does to its RTCPeerConnection besides signalling: the remote
// DTLS fingerprint (PROTOCOL.md 10B.4), the connection quality from getStats (round-trip time and
// packet loss → good / fair / poor), and switching the camera or microphone in a running call
// (replaceTrack on the sender, so nothing is renegotiated and the contact sees no gap).

export type Quality = "good" | "fair" | "poor";

/** The bounds of "good" and "poor" (fair lies between): round-trip time in seconds, loss as a fraction. */
export const QualityBounds = { goodRtt: 0.3, poorRtt: 0.6, goodLoss: 0.02, poorLoss: 0.08 } as const;

/** Rates a connection: good below both good bounds, poor at or past either poor bound, else fair. */
export function rateQuality(rttSeconds: number, lossFraction: number): Quality {
  if (rttSeconds >= QualityBounds.poorRtt || lossFraction >= QualityBounds.poorLoss) {
    return "poor";
  }

  return rttSeconds < QualityBounds.goodRtt && lossFraction < QualityBounds.goodLoss ? "good" : "fair";
}

/** Cumulative inbound packet counts (all media kinds) at one getStats sample. */
export interface PacketCounts {
  received: number;
  lost: number;
}

/** The loss fraction between two samples (0 when nothing new arrived; packetsLost may go down on duplicates). */
export function lossBetween(before: PacketCounts, after: PacketCounts): number {
  const lost = Math.max(0, after.lost - before.lost);
  const received = Math.max(0, after.received - before.received);
  return lost + received === 0 ? 0 : lost / (lost + received);
}

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

/** One sample: the selected pair's round-trip time (seconds, null before one was measured) and the packet counts. */
export async function sampleConnection(pc: RTCPeerConnection): Promise<{ rtt: number | null; packets: PacketCounts }> {
  const stats = await pc.getStats();
  let pairId: string | undefined;
  const packets: PacketCounts = { received: 0, lost: 0 };
  stats.forEach((report) => {
    if (report.type === "transport" && typeof report.selectedCandidatePairId === "string") {
      pairId = report.selectedCandidatePairId;
    } else if (report.type === "inbound-rtp") {
      packets.received += Number(report.packetsReceived ?? 0);
      packets.lost += Number(report.packetsLost ?? 0);
    }
  });
  const pair = pairId ? stats.get(pairId) : undefined;
  const rtt = pair && typeof pair.currentRoundTripTime === "number" ? pair.currentRoundTripTime : null;
  return { rtt, packets };
}

/** A camera or microphone the browser offers (labels are empty before the first getUserMedia). */
export interface MediaDevice {
  id: string;
  label: string;
}

/** The cameras and microphones, each with a readable label. */
export async function listDevices(): Promise<{ cameras: MediaDevice[]; microphones: MediaDevice[] }> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const of = (kind: MediaDeviceKind, name: string): MediaDevice[] =>
    devices.filter((d) => d.kind === kind && d.deviceId).map((d, i) => ({ id: d.deviceId, label: d.label || `${name} ${i + 1}` }));
  return { cameras: of("videoinput", "Camera"), microphones: of("audioinput", "Microphone") };
}

/**
 * Switches the call's camera or microphone to `deviceId`: a new track from that device replaces the
 * old one on the sender and in `local` (whose old track stops); mute and camera-off carry over.
 * Returns the new track.
 */
export async function switchDevice(pc: RTCPeerConnection, local: MediaStream, kind: "audio" | "video", deviceId: string): Promise<MediaStreamTrack> {
  const constraints = { deviceId: { exact: deviceId } };
  const stream = await navigator.mediaDevices.getUserMedia(kind === "audio" ? { audio: constraints } : { video: constraints });
  const track = kind === "audio" ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
  if (!track) {
    throw new Error("The device gave no track.");
  }

  const old = kind === "audio" ? local.getAudioTracks()[0] : local.getVideoTracks()[0];
  track.enabled = old ? old.enabled : true;
  const sender = pc.getSenders().find((s) => s.track?.kind === kind || (old !== undefined && s.track === old));
  if (sender) {
    await sender.replaceTrack(track);
  }

  if (old) {
    local.removeTrack(old);
    old.stop();
  }

  local.addTrack(track);
  return track;
}
