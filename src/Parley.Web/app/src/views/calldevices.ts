// The camera and microphone selectors of the call view: every device the browser lists, the one in
// use selected; choosing another switches it in the running call (replaceTrack, see callmedia.ts).

import type { MediaDevice } from "../callmedia";
import { h, replaceChildren } from "../dom";

export interface DeviceList {
  cameras: MediaDevice[];
  microphones: MediaDevice[];
  camera?: string;
  microphone?: string;
}

export class DeviceSelectors {
  readonly element = h("div", { class: "call-devices", hidden: true });
  private readonly camera = h("select", { name: "camera" });
  private readonly microphone = h("select", { name: "microphone" });
  private readonly cameraField = h("label", {}, "Camera ", this.camera);

  constructor(choose: (kind: "audio" | "video", deviceId: string) => void) {
    this.camera.addEventListener("change", () => choose("video", this.camera.value));
    this.microphone.addEventListener("change", () => choose("audio", this.microphone.value));
    replaceChildren(this.element, h("label", {}, "Microphone ", this.microphone), this.cameraField);
  }

  /** Lists the devices; the camera selector only for a call that sends video. */
  show(devices: DeviceList, video: boolean): void {
    fill(this.microphone, devices.microphones, devices.microphone);
    fill(this.camera, devices.cameras, devices.camera);
    this.cameraField.hidden = !video || devices.cameras.length === 0;
    this.element.hidden = devices.microphones.length === 0 && this.cameraField.hidden;
  }

  hide(): void {
    this.element.hidden = true;
  }
}

function fill(select: HTMLSelectElement, devices: MediaDevice[], selected: string | undefined): void {
  replaceChildren(select, ...devices.map((d) => h("option", { value: d.id, selected: d.id === selected }, d.label)));
}
