// What the call controller (calls.ts) works with: its record of the page's call, the contact's offer,
// its surroundings (screen, ring, media; the browser's in callbrowser.ts, fakes in the unit tests), and
// the two questions it asks the daemon's calls.current.

import type { Api } from "./api";
import type { LinkScreen } from "./calllink";
import type { PeerFactory } from "./callpeer";
import type { CallActions, CallMedia } from "./views/call";

export interface CallInfo {
  id: string;
  user: string;
  direction: "out" | "in";
  media: CallMedia;
  remoteFingerprint?: string;
}

/** A contact's offer of a new call, kept until it is answered. */
export interface RemoteOffer {
  id: string;
  sdp: string;
  fingerprint: string;
}

/** The `call` object of `call` events and calls.* results (API.md). */
export type CallObject = Record<string, unknown>;

/** What the controller shows (CallView). */
export interface CallScreen extends LinkScreen {
  show(user: string, media: CallMedia, direction: "in" | "out", status: string): void;
  status(text: string): void;
  connected(): void;
  verification(verified: boolean, shortCode: string | undefined): void;
  ended(sentence: string): void;
}

/** The controller's surroundings: its screen (made with its actions), the ring, and the media. */
export interface CallPorts {
  screen(actions: CallActions): CallScreen;
  ring: { start(): void; stop(): void };
  createPeer: PeerFactory;
}

export const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
export const mediaOf = (call: CallObject): CallMedia => (call.media === "video" ? "video" : "audio");

/** The call ringing here, with its offer (calls.current); null when none. */
export async function ringingCall(api: Api): Promise<{ id: string; user: string; media: CallMedia; offer: RemoteOffer } | null> {
  const result = (await api.rpc.call("calls.current", api.scopedParams()).catch(() => ({}))) as { user?: string; call?: CallObject };
  const call = result.call;
  if (!call || !result.user || str(call.state) !== "incoming" || !str(call.sdp) || !str(call.fingerprint)) {
    return null;
  }

  const offer = { id: String(call.id), sdp: String(call.sdp), fingerprint: String(call.fingerprint) };
  return { id: offer.id, user: result.user, media: mediaOf(call), offer };
}

/** Whether the contact's safety number was verified and (once connected) the short code, for call `id`; null when it is not the current call. */
export async function currentChecks(api: Api, id: string): Promise<{ verified: boolean; shortCode?: string } | null> {
  const result = (await api.rpc.call("calls.current", api.scopedParams()).catch(() => null)) as { call?: CallObject } | null;
  const call = result?.call;
  return call && String(call.id) === id ? { verified: call.verified === true, shortCode: str(call.shortCode) } : null;
}
