// Moving files between the browser and the daemon. An upload is staged with one authenticated PUT
// on the loopback (the browser cannot hand the daemon a path), then sent by `files.send`, whose
// progress arrives as `transfer` events; a download is fetched, decrypted and verified by
// `files.get` first, and only then handed to the page with one GET. Cancelling stops the transfer
// in the daemon (`files.cancel`); sending the same file again resumes its upload.

import type { Api } from "./api";
import { RpcError } from "./rpc";
import { blobType, type DownloadedFile, type Transfer, TransferList } from "./transfers";

/** Transfers may take long: no call timeout below a day. */
const TransferTimeoutMs = 24 * 60 * 60 * 1000;
/** How long a finished upload's row stays under the conversation. */
const DoneRowMs = 3_000;

export class FileClient {
  readonly transfers = new TransferList();
  private readonly downloaded = new Map<string, DownloadedFile>();
  private readonly files = new Map<string, File>();

  /** Called whenever a transfer or a download changes. */
  onChange: () => void = () => {};

  /** Called when a file message was stored for a contact (the conversation shows it from history). */
  onSent: (user: string) => void = () => {};

  constructor(
    private readonly api: Api,
    private readonly token: string,
  ) {}

  downloadedFile(messageId: string): DownloadedFile | undefined {
    return this.downloaded.get(messageId);
  }

  /** Sends a file to a contact; resolves when the file message is stored (or the transfer ends otherwise). */
  async send(user: string, file: File): Promise<void> {
    const transfer: Transfer = { id: this.transfers.newId(), user, name: file.name, direction: "up", bytes: 0, total: file.size, startedAt: Date.now(), phase: "staging" };
    this.transfers.add(transfer);
    this.files.set(transfer.id, file);
    this.onChange();
    try {
      const path = await this.stage(user, file);
      await this.api.rpc.call("files.send", this.api.scopedParams({ to: user, path, transfer: transfer.id }), TransferTimeoutMs);
      transfer.phase = "done";
      transfer.bytes = transfer.total;
      this.files.delete(transfer.id);
      this.onSent(user);
      setTimeout(() => {
        this.transfers.remove(transfer.id); // the file message shows it from now on
        this.onChange();
      }, DoneRowMs);
    } catch (error) {
      this.end(transfer, error);
    }

    this.onChange();
  }

  /** Sends a failed or cancelled upload's file again: the daemon resumes where the server stopped. */
  async resume(id: string): Promise<void> {
    const transfer = this.transfers.get(id);
    const file = this.files.get(id);
    if (!transfer || !file) {
      return;
    }

    this.transfers.remove(id);
    this.files.delete(id);
    await this.send(transfer.user, file);
  }

  /** Downloads, verifies and keeps a received file for the page (thumbnail, save). */
  async download(user: string, messageId: string, name: string): Promise<void> {
    const previous = this.transfers.forMessage(messageId);
    if (previous && (previous.phase === "staging" || previous.phase === "running")) {
      return;
    }

    if (previous) {
      this.transfers.remove(previous.id);
    }

    const transfer: Transfer = { id: this.transfers.newId(), user, name, direction: "down", bytes: 0, total: 0, startedAt: Date.now(), phase: "staging", messageId };
    this.transfers.add(transfer);
    this.onChange();
    try {
      const result = await this.api.rpc.call<{ staged?: string }>("files.get", this.api.scopedParams({ id: messageId, transfer: transfer.id }), TransferTimeoutMs);
      if (!result.staged) {
        throw new RpcError(-1, "The daemon did not keep the file for the page.");
      }

      const response = await fetch(`/api/v1/staging/${encodeURIComponent(result.staged)}`, { headers: { Authorization: `Bearer ${this.token}` } });
      if (!response.ok) {
        throw new RpcError(-1, "The verified file could not be fetched from the daemon.");
      }

      const blob = new Blob([await response.arrayBuffer()], { type: blobType(name) });
      this.downloaded.set(messageId, { url: URL.createObjectURL(blob), name, size: blob.size, image: blob.type.startsWith("image/") });
      transfer.phase = "done";
      transfer.bytes = transfer.total = blob.size;
    } catch (error) {
      this.end(transfer, error);
    }

    this.onChange();
  }

  async cancel(id: string): Promise<void> {
    const transfer = this.transfers.get(id);
    if (!transfer || transfer.phase === "done") {
      return;
    }

    try {
      await this.api.rpc.call("files.cancel", { transfer: id });
    } catch {
      // It ended meanwhile; its own call reports how.
    }
  }

  /** Applies a daemon event; true when it was a transfer of this page. */
  applyEvent(event: Record<string, unknown>): boolean {
    if (event.type !== "transfer" || !this.transfers.applyEvent(event)) {
      return false;
    }

    this.onChange();
    return true;
  }

  private async stage(user: string, file: File): Promise<string> {
    const query = new URLSearchParams({ to: user, name: file.name, modified: String(Math.max(0, Math.floor(file.lastModified))) });
    if (this.api.profile) {
      query.set("profile", this.api.profile);
    }

    const response = await fetch(`/api/v1/staging?${query.toString()}`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${this.token}`, "Content-Type": "application/octet-stream" },
      body: file,
    });
    const body = (await response.json().catch(() => ({}))) as { path?: string; error?: string };
    if (!response.ok || typeof body.path !== "string") {
      throw new RpcError(-1, body.error ?? "The daemon could not take the file.");
    }

    return body.path;
  }

  private end(transfer: Transfer, error: unknown): void {
    const cancelled = error instanceof RpcError && error.code === -32005;
    transfer.phase = cancelled ? "cancelled" : "failed";
    transfer.error = cancelled ? undefined : error instanceof Error ? error.message : "failed";
  }
}
