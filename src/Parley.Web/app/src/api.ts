// Typed wrappers over the daemon's methods (docs/API.md), scoped to the profile on screen.

import type { ConversationsResult } from "./conversationlist";
import type { ContactView } from "./model";
import type { RpcClient } from "./rpc";

export interface AccountResult {
  user: string;
  server: string;
  fingerprint: string;
  loggedIn: boolean;
}

export interface ProbeResult {
  server: string;
  fingerprint: string;
  /** The fingerprint pinned for this user on this server; absent on first use. */
  pinned?: string;
  changed: boolean;
}

export interface DaemonInfo {
  pid: number;
  port: number;
  profiles: string[];
}

export interface StatusResult {
  user: string;
  server: string;
  connected: boolean;
  pendingOutgoing: number;
  online: string[];
}

export interface HistoryPage {
  messages: Record<string, unknown>[];
  /** The cursor for the next older page; absent when this page reaches the start of the conversation. */
  before?: string;
}

export interface VerifyResult {
  user: string;
  safetyNumber: string;
  qr: string;
  verified: boolean;
}

/**
 * Registering and logging in make keys, prove the password and may solve the server's proof of
 * work, which grows after many attempts: on a slow or busy machine that can exceed the usual call
 * timeout, and giving up early would leave the user with nothing.
 */
const AccountCallTimeoutMs = 5 * 60_000;

export class Api {
  profile = "";

  constructor(
    readonly rpc: RpcClient,
    /** The daemon's secret, for the staging requests that are plain HTTP. */
    readonly token: string,
  ) {}

  /** The parameters with the profile on screen added. */
  scopedParams(params: Record<string, unknown> = {}): Record<string, unknown> {
    return this.profile ? { profile: this.profile, ...params } : params;
  }

  private scoped(params: Record<string, unknown> = {}): Record<string, unknown> {
    return this.scopedParams(params);
  }

  info(): Promise<DaemonInfo> {
    return this.rpc.call("daemon.info");
  }

  /** The certificate fingerprint the server presents now, compared with the one pinned for `user` (trust on first use). */
  probe(server: string, user: string): Promise<ProbeResult> {
    return this.rpc.call("server.probe", user ? { server, user } : { server });
  }

  register(user: string, server: string, password: string, trustServer?: string): Promise<AccountResult> {
    return this.rpc.call("register", trustServer ? { user, server, password, trustServer } : { user, server, password }, AccountCallTimeoutMs);
  }

  login(user: string, server: string, password: string, trustServer?: string): Promise<AccountResult> {
    return this.rpc.call("login", trustServer ? { user, server, password, trustServer } : { user, server, password }, AccountCallTimeoutMs);
  }

  logout(): Promise<unknown> {
    return this.rpc.call("logout", this.scoped());
  }

  whoami(): Promise<AccountResult> {
    return this.rpc.call("whoami", this.scoped());
  }

  status(): Promise<StatusResult> {
    return this.rpc.call("status", this.scoped());
  }

  subscribe(): Promise<unknown> {
    return this.rpc.call("subscribe", this.scoped());
  }

  contacts(): Promise<{ contacts: ContactView[]; offline: boolean }> {
    return this.rpc.call("contacts.list", this.scoped());
  }

  /** The conversation list, assembled by the daemon: requests first, then by last activity, with unread counts, presence and previews. */
  conversations(): Promise<ConversationsResult> {
    return this.rpc.call("conversations", this.scoped());
  }

  /** The profile's settings, changing `notificationPreviews` when given (the daemon saves it). */
  settings(notificationPreviews?: boolean): Promise<{ notificationPreviews: boolean }> {
    return this.rpc.call("settings", this.scoped(notificationPreviews === undefined ? {} : { notificationPreviews }));
  }

  contact(action: "request" | "accept" | "decline" | "remove", user: string, note?: string): Promise<unknown> {
    const params: Record<string, unknown> = { user };
    if (note) {
      params.note = note;
    }

    return this.rpc.call(`contacts.${action}`, this.scoped(params));
  }

  block(user: string, blocked: boolean): Promise<unknown> {
    return this.rpc.call(blocked ? "block" : "unblock", this.scoped({ user }));
  }

  send(to: string, text: string): Promise<{ id: string; to: string }> {
    return this.rpc.call("send", this.scoped({ to, text }));
  }

  /** A page of history: the newest `limit` messages, or those before the cursor `before`; `before` in the result pages further back. */
  history(user: string, limit: number, before?: string): Promise<HistoryPage> {
    return this.rpc.call("history", this.scoped(before ? { user, limit, before } : { user, limit }));
  }

  /** The incoming messages not shown before; the daemon counts them read (read receipts go out). */
  markShown(user: string): Promise<{ messages: Record<string, unknown>[] }> {
    return this.rpc.call("history", this.scoped({ user, limit: 10_000, unread: true }));
  }

  typing(to: string, typing: boolean): Promise<unknown> {
    return this.rpc.call("typing", this.scoped({ to, typing }));
  }

  verify(user: string, confirm: boolean): Promise<VerifyResult> {
    return this.rpc.call("verify", this.scoped({ user, confirm }));
  }

  trust(user: string): Promise<unknown> {
    return this.rpc.call("trust", this.scoped({ user }));
  }
}
