// The signed-in screen: sidebar and conversation, kept in step with the daemon's events.

import type { Api } from "./api";
import { browserCalls } from "./callbrowser";
import type { CallController } from "./calls";
import { applyConversationList } from "./conversationlist";
import { FileClient } from "./fileclient";
import { showNotification } from "./notifications";
import { h, replaceChildren } from "./dom";
import { describeError } from "./format";
import { HistoryPager } from "./history";
import { LatestAnswer } from "./latest";
import { Model } from "./model";
import { RpcError, type ConnectionState } from "./rpc";
import { showAccountDialog } from "./views/account";
import { ChatView } from "./views/chat";
import { showSafetyDialog } from "./views/safety";
import { renderConnection, renderConversationList, sidebarPanel } from "./views/sidebar";
import { Toast } from "./views/toast";

/** What the signed-in screen asks of the page around it. */
interface Navigation {
  logout(): void;
  switchTo(user: string): void;
  addAccount(): void;
}

export class Messenger {
  private readonly model = new Model();
  private readonly list = h("ul", { class: "conversations", "aria-label": "Conversations" });
  private readonly connection = h("span", { class: "connection", role: "status", "aria-live": "polite" });
  private readonly toast = new Toast();
  private readonly chat: ChatView;
  private readonly files: FileClient;
  private readonly calls: CallController;
  private readonly history: HistoryPager;
  private daemonOpen = true;
  private serverConnected = false;
  /** Whether a connection event arrived since subscribing (events then decide the state, not a status answer). */
  private connectionEventSeen = false;
  private disposed = false;
  private readonly listAnswers = new LatestAnswer();
  /** Whether notifications may show message text (the profile's setting, off by default). */
  private previews = false;

  constructor(
    private readonly api: Api,
    root: HTMLElement,
    private readonly navigation: Navigation,
  ) {
    this.model.me = api.profile;
    this.history = new HistoryPager(api, this.model);
    this.files = new FileClient(api, api.token);
    this.files.onChange = () => this.render();
    this.files.onSent = (user) => void this.loadHistory(user, false);
    const files = this.files;
    this.chat = new ChatView({
      sendFiles: (user, list) => list.forEach((file) => void files.send(user, file)),
      cancelTransfer: (id) => void files.cancel(id),
      resumeTransfer: (id) => void files.resume(id),
      download: (user, messageId, name) => void files.download(user, messageId, name),
      send: (user, text) => void this.send(user, text),
      typing: (user, typing) => void this.api.typing(user, typing).catch(() => undefined),
      showSafetyNumber: (user) => void this.showSafetyNumber(user),
      trust: (user) => void this.act(() => this.api.trust(user), true),
      remove: (user) => {
        if (confirm(`Remove ${user} from your contacts?`)) {
          void this.act(() => this.api.contact("remove", user), true);
        }
      },
      block: (user, blocked) => void this.act(() => this.api.block(user, blocked), true),
      loadOlder: (user) => void this.loadHistory(user, true),
      call: (user, media) => void this.calls.start(user, media),
    }, {
      transfers: (user) => files.transfers.forUser(user),
      downloaded: (messageId) => files.downloadedFile(messageId),
      download: (messageId) => files.transfers.forMessage(messageId),
    });
    const sidebar = sidebarPanel(api.profile, this.connection, this.list, {
      account: () => void this.showAccount(),
      logout: () => void this.logout(),
      request: (user, note) => this.request(user, note),
    });
    replaceChildren(root, h("div", { class: "layout" }, sidebar, h("main", { class: "main" }, this.chat.element)), this.toast.element);
    this.calls = browserCalls(api, root, (user) => void this.loadHistory(user, false));
    document.addEventListener("visibilitychange", this.onVisibility);
  }

  dispose(): void {
    this.disposed = true;
    document.removeEventListener("visibilitychange", this.onVisibility);
  }

  /** Places a call (from `parley call USER`'s address) once the messenger is loaded. */
  call(user: string, media: "audio" | "video"): void {
    void this.calls.start(user, media);
  }

  async load(): Promise<void> {
    try {
      this.connectionEventSeen = false;
      await this.api.subscribe();
      void this.calls.resume().catch(() => undefined);
      // Each answer is applied the moment it arrives. The connection state comes from the events
      // once one has arrived since subscribing: a status is computed over a presence round trip
      // that can take many seconds on a busy machine, and its "not connected" used to overwrite a
      // newer "connected" event, leaving the page at "reconnecting…" for good (a CI failure).
      const status = this.api.status().then((result) => {
        this.model.applyOnline(result.online);
        if (!this.connectionEventSeen) {
          this.serverConnected = result.connected;
        }

        this.render();
      });
      // The sidebar paints from one local answer; the contact list is then refreshed from the
      // server (requests that arrived while the daemon was away) and the list re-read.
      const settings = this.api.settings().then((result) => {
        this.previews = result.notificationPreviews === true;
      });
      const list = this.refreshList();
      void list.then(() => this.api.contacts()).then(() => this.refreshList()).catch(() => undefined); // logged out meanwhile: nothing to refresh
      await Promise.all([status, list, settings]);
      const open = this.chat.openUser;
      if (open) {
        await this.loadHistory(open, false);
      }
    } catch (error) {
      this.fail(error);
    }
  }

  onDaemonState(state: ConnectionState): void {
    this.daemonOpen = state === "open";
    renderConnection(this.connection, this.daemonOpen, this.serverConnected);
  }

  onEvent(event: Record<string, unknown>): void {
    if (this.disposed || (typeof event.profile === "string" && event.profile !== this.api.profile) || this.files.applyEvent(event)) {
      return;
    }

    if (event.type === "call") {
      this.calls.onEvent(event);
      return;
    }

    const change = this.model.applyEvent(event, this.chat.openUser, document.visibilityState === "visible");
    if (change.connected !== undefined) {
      this.serverConnected = change.connected;
      this.connectionEventSeen = true;
    }

    if (event.type === "message" && event.direction === "in" && change.user === this.chat.openUser && !change.notify) {
      void this.api.markShown(change.user).catch(() => undefined); // on screen now: read
    }

    if (change.notify && document.visibilityState !== "visible") {
      showNotification(change.notify, this.previews);
    }

    if (change.contactsChanged) {
      void this.refreshList().catch(() => undefined);
    }

    this.render();
  }

  private readonly onVisibility = () => {
    const open = this.chat.openUser;
    if (document.visibilityState === "visible" && open && this.model.conversation(open).unread > 0) {
      void this.loadHistory(open, false); // shows (and so reads) what arrived while hidden
    }
  };

  private render(): void {
    const open = this.chat.openUser;
    renderConversationList(this.list, this.model.ordered(), open, {
      open: (user) => void this.open(user),
      accept: (user) => void this.act(() => this.api.contact("accept", user), true),
      decline: (user) => void this.act(() => this.api.contact("decline", user), true),
      request: (user, note) => this.request(user, note),
    });
    this.chat.render(open ? this.model.conversation(open) : null, new Date());
    renderConnection(this.connection, this.daemonOpen, this.serverConnected);
  }

  private async open(user: string): Promise<void> {
    const started = performance.now();
    this.chat.render(this.model.conversation(user), new Date());
    this.render();
    await this.loadHistory(user, false);
    performance.measure("parley:open", { start: started }); // the newest page is on screen (docs/BENCHMARKS.md)
    this.chat.focusComposer();
  }

  /** The newest page of a conversation (`older` false: on opening, and after something was stored), or the next older one. */
  private async loadHistory(user: string, older: boolean): Promise<void> {
    try {
      if (await this.history.load(user, older, () => this.chat.openUser)) {
        this.render();
      }
    } catch (error) {
      this.fail(error);
    }
  }

  private async send(user: string, text: string): Promise<void> {
    const pending = this.model.addPending(user, text, new Date());
    this.render();
    try {
      const stored = await this.api.send(user, text);
      this.model.settlePending(pending.id, user, stored);
    } catch (error) {
      const queued = error instanceof RpcError && error.kind === "serverUnreachableMessageQueued";
      if (!queued) {
        this.model.settlePending(pending.id, user, null);
        this.fail(error);
      }
    }

    this.render();
  }

  private async request(user: string, note: string): Promise<string | null> {
    try {
      await this.api.contact("request", user, note || undefined);
      await this.refreshList();
      return null;
    } catch (error) {
      return error instanceof RpcError ? describeError(error.kind, error.message) : "The request failed.";
    }
  }

  private async showSafetyNumber(user: string): Promise<void> {
    try {
      const result = await this.api.verify(user, false);
      showSafetyDialog(result, async () => {
        await this.api.verify(user, true);
        await this.refreshList();
      });
    } catch (error) {
      this.fail(error);
    }
  }

  private async act(action: () => Promise<unknown>, refresh: boolean): Promise<void> {
    try {
      await action();
      if (refresh) {
        await this.refreshList();
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /** Re-reads the conversation list from the daemon (`conversations`) and shows it. */
  private async refreshList(): Promise<void> {
    const result = await this.listAnswers.run(() => this.api.conversations()); // refreshes overlap (start-up, actions, events)
    if (!result) {
      return;
    }

    applyConversationList(this.model, result, document.visibilityState === "visible" ? this.chat.openUser : null);
    this.render();
    if (performance.getEntriesByName("parley:list").length === 0) {
      performance.mark("parley:list"); // first paint of the conversation list (docs/BENCHMARKS.md)
    }
  }

  private async showAccount(): Promise<void> {
    try {
      const info = await this.api.info();
      showAccountDialog(this.api, info.profiles, {
        switchTo: (user) => this.navigation.switchTo(user),
        addAccount: () => this.navigation.addAccount(),
        deleted: () => this.navigation.logout(),
        previews: (on) => {
          this.previews = on;
        },
      });
    } catch (error) {
      this.fail(error);
    }
  }

  private async logout(): Promise<void> {
    try {
      await this.api.logout();
    } catch (error) {
      this.fail(error);
      return;
    }

    this.navigation.logout();
  }

  private fail(error: unknown): void {
    this.toast.show(error instanceof RpcError ? describeError(error.kind, error.message) : "Something went wrong.");
  }
}
