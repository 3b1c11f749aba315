// The call controller as the page runs it: the call view, Chromium's media (CallPeer), the WebAudio
// ring, and the diagnostics the browser tests read (getStats, the ring's level, the call's state).

import type { Api } from "./api";
import { CallPeer } from "./callpeer";
import { CallController } from "./calls";
import { Ringtone } from "./ringtone";
import { CallView } from "./views/call";

/** The controller of a page, its call view in `host`. */
export function browserCalls(api: Api, host: HTMLElement, onRecorded: (user: string) => void): CallController {
  const ring = new Ringtone();
  const calls = new CallController(api, { screen: (actions) => new CallView(host, actions), ring, createPeer: (events) => CallPeer.create(api, events) }, onRecorded);
  Object.assign(window, {
    parleyCallStats: () => calls.stats(),
    parleyRing: { playing: () => ring.playing, level: () => ring.level() },
    parleyCallState: () => calls.describe(),
  });
  return calls;
}
