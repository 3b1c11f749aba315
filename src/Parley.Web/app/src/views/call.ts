// The call overlay: an incoming call (accept with voice or video, decline), a call being placed, and
// the call itself (remote and local video, mute, camera off, camera and microphone selection, hang
// up, duration, connection quality, the verified mark and the short code to read aloud). Text only
// through textContent; the remote stream plays in an unmuted <video> (audio included).

import type { Quality } from "../callmedia";
import { h, replaceChildren } from "../dom";
import { DeviceSelectors, type DeviceList } from "./calldevices";

export type CallMedia = "audio" | "video";

export interface CallActions {
  accept(media: CallMedia): void;
  decline(): void;
  hangUp(): void;
  mute(muted: boolean): void;
  camera(off: boolean): void;
  device(kind: "audio" | "video", deviceId: string): void;
}

export class CallView {
  private readonly element = h("section", { class: "call", role: "dialog", "aria-label": "Call", hidden: true });
  private readonly title = h("h2", {});
  private readonly state = h("p", { class: "call-state", role: "status", "aria-live": "polite" });
  private readonly alert = h("p", { class: "call-alert", role: "alert", hidden: true });
  private readonly verifiedMark = h("p", { class: "call-verified", hidden: true }, "✓ Safety number verified");
  private readonly code = h("p", { class: "call-code", hidden: true });
  private readonly remoteVideo = h("video", { class: "remote", autoplay: true, playsinline: true, "aria-label": "Contact's video" });
  private readonly localVideo = h("video", { class: "local", autoplay: true, playsinline: true, muted: true, "aria-label": "Your video" });
  private readonly controls = h("div", { class: "call-controls" });
  private readonly qualityLine = h("p", { class: "call-quality", hidden: true });
  private readonly devicePicker: DeviceSelectors;
  private connectedAt = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private firstFrame = false;

  constructor(
    host: HTMLElement,
    private readonly actions: CallActions,
  ) {
    this.localVideo.muted = true;
    this.devicePicker = new DeviceSelectors((kind, id) => this.actions.device(kind, id));
    replaceChildren(
      this.element,
      this.title,
      this.state,
      this.alert,
      h("div", { class: "call-checks" }, this.verifiedMark, this.code, this.qualityLine),
      h("div", { class: "videos" }, this.remoteVideo, this.localVideo),
      this.devicePicker.element,
      this.controls,
    );
    host.appendChild(this.element);
  }

  show(user: string, media: CallMedia, direction: "in" | "out", status: string): void {
    this.element.hidden = false;
    this.alert.hidden = true;
    this.verifiedMark.hidden = true;
    this.code.hidden = true;
    this.qualityLine.hidden = true;
    this.devicePicker.hide();
    this.firstFrame = false;
    this.element.dataset.media = media;
    this.title.textContent = user;
    this.status(status);
    if (direction === "in") {
      replaceChildren(
        this.controls,
        h("button", { type: "button", class: "primary", onclick: () => this.actions.accept("audio") }, "Accept voice"),
        media === "video" ? h("button", { type: "button", class: "primary", onclick: () => this.actions.accept("video") }, "Accept video") : null,
        h("button", { type: "button", class: "danger", onclick: () => this.actions.decline() }, "Decline"),
      );
    } else {
      this.inCallControls(media);
    }
  }

  status(text: string): void {
    this.state.textContent = text;
  }

  local(stream: MediaStream): void {
    this.localVideo.srcObject = stream;
    if (this.controls.querySelector("button.primary")) {
      this.inCallControls(stream.getVideoTracks().length > 0 ? "video" : "audio"); // accepted: the ringing buttons go
    }
  }

  remote(stream: MediaStream): void {
    this.remoteVideo.srcObject = stream;
    if (!this.firstFrame && "requestVideoFrameCallback" in this.remoteVideo) {
      this.remoteVideo.requestVideoFrameCallback(() => {
        this.firstFrame = true;
        performance.mark("parley-call-first-frame");
      });
    }
  }

  connected(): void {
    this.connectedAt = Date.now();
    this.tick();
    this.timer ??= setInterval(() => this.tick(), 1_000);
  }

  /** The identity checks (PROTOCOL.md 10B.5): the verified mark, and the short code once media connected. */
  verification(verified: boolean, shortCode: string | undefined): void {
    this.verifiedMark.hidden = !verified;
    if (shortCode) {
      replaceChildren(this.code, "Code to compare aloud: ", h("strong", {}, shortCode));
      this.code.hidden = false;
    }
  }

  /** The camera and microphone selectors (once local media is up). */
  devices(devices: DeviceList): void {
    this.devicePicker.show(devices, this.element.dataset.media === "video");
  }

  /** The connection quality from getStats: good, fair or poor. */
  quality(quality: Quality): void {
    this.qualityLine.dataset.quality = quality;
    this.qualityLine.textContent = `Connection: ${quality}`;
    this.qualityLine.hidden = false;
  }

  security(): void {
    this.alert.textContent = "Security check failed: the media connection does not belong to your contact. Hanging up.";
    this.alert.hidden = false;
  }

  error(text: string): void {
    this.alert.textContent = text;
    this.alert.hidden = false;
  }

  ended(sentence: string): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }

    this.remoteVideo.srcObject = null;
    this.localVideo.srcObject = null;
    this.code.hidden = true;
    this.qualityLine.hidden = true;
    this.devicePicker.hide();
    this.status(sentence);
    if (sentence.startsWith("Call ended: security")) {
      this.alert.textContent = sentence;
      this.alert.hidden = false;
    }

    replaceChildren(this.controls, h("button", { type: "button", onclick: () => (this.element.hidden = true) }, "Close"));
  }

  private inCallControls(media: CallMedia): void {
    const mute = h("button", { type: "button", "aria-pressed": "false" }, "Mute");
    mute.addEventListener("click", () => {
      const muted = mute.getAttribute("aria-pressed") !== "true";
      mute.setAttribute("aria-pressed", String(muted));
      mute.textContent = muted ? "Unmute" : "Mute";
      this.actions.mute(muted);
    });
    const camera = h("button", { type: "button", "aria-pressed": "false" }, "Camera off");
    camera.addEventListener("click", () => {
      const off = camera.getAttribute("aria-pressed") !== "true";
      camera.setAttribute("aria-pressed", String(off));
      camera.textContent = off ? "Camera on" : "Camera off";
      this.actions.camera(off);
    });
    replaceChildren(this.controls, mute, media === "video" ? camera : null, h("button", { type: "button", class: "danger", onclick: () => this.actions.hangUp() }, "Hang up"));
  }

  private tick(): void {
    const seconds = Math.floor((Date.now() - this.connectedAt) / 1_000);
    this.status(`Connected ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`);
  }
}

/** The last line of an ended call, by the daemon's end reason (and whether it was an incoming call). */
export function endSentence(reason: string | undefined, incoming = false): string {
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
      return incoming ? "Missed call." : "No answer.";
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
