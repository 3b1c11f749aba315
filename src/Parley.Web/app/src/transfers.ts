// File transfers as the UI shows them: pure state and wording (unit-tested), no I/O.

export type TransferDirection = "up" | "down";
export type TransferPhase = "staging" | "running" | "done" | "failed" | "cancelled";

export interface Transfer {
  /** The name the page gave the transfer (the API echoes it in `transfer` events). */
  id: string;
  user: string;
  name: string;
  direction: TransferDirection;
  bytes: number;
  total: number;
  startedAt: number;
  phase: TransferPhase;
  error?: string;
  /** For downloads: the id of the message that carried the file. */
  messageId?: string;
}

/** What a received file looks like once the daemon verified and handed it over. */
export interface DownloadedFile {
  url: string;
  name: string;
  size: number;
  image: boolean;
}

/** File types shown inline as a thumbnail (after verification only). */
const ImageTypes: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

/** The media type to give a verified file's blob: an image type for pictures, else opaque bytes. */
export function blobType(name: string): string {
  const dot = name.lastIndexOf(".");
  const extension = dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
  return ImageTypes[extension] ?? "application/octet-stream";
}

const Units = ["B", "KB", "MB", "GB", "TB"];

/** 1 KB = 1000 B, one decimal from KB up ("5.2 MB"). */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < Units.length - 1) {
    value /= 1000;
    unit++;
  }

  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${Units[unit]}`;
}

/** "4 s", "2 min", "1 h 5 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) {
    return `${s} s`;
  }

  const minutes = Math.ceil(s / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The progress line: "1.2 MB of 5.0 MB · 3.4 MB/s · 2 s left" (rate and time once they mean something). */
export function progressLine(transfer: Transfer, now: number): string {
  const done = `${formatBytes(transfer.bytes)} of ${formatBytes(transfer.total)}`;
  switch (transfer.phase) {
    case "staging":
      return `Preparing ${formatBytes(transfer.total)}…`;
    case "done":
      return `${formatBytes(transfer.total)} · done`;
    case "cancelled":
      return `${done} · cancelled`;
    case "failed":
      return `${done} · ${transfer.error ?? "failed"}`;
    default: {
      const elapsed = (now - transfer.startedAt) / 1000;
      if (elapsed < 0.2 || transfer.bytes === 0) {
        return done;
      }

      const rate = transfer.bytes / elapsed;
      const left = (transfer.total - transfer.bytes) / rate;
      return `${done} · ${formatBytes(rate)}/s · ${formatDuration(left)} left`;
    }
  }
}

/** The share done, 0 to 1. */
export function fraction(transfer: Transfer): number {
  return transfer.total > 0 ? Math.min(1, transfer.bytes / transfer.total) : transfer.phase === "done" ? 1 : 0;
}

/** The transfers in progress or finished recently, by name; applies the daemon's `transfer` events. */
export class TransferList {
  private readonly transfers = new Map<string, Transfer>();
  private next = 1;

  /** A fresh transfer name, unique on this page. */
  newId(): string {
    return `t${Date.now().toString(36)}-${this.next++}`;
  }

  add(transfer: Transfer): void {
    this.transfers.set(transfer.id, transfer);
  }

  get(id: string): Transfer | undefined {
    return this.transfers.get(id);
  }

  remove(id: string): void {
    this.transfers.delete(id);
  }

  /** Applies a `transfer` event; true when it belonged to a transfer of this page. */
  applyEvent(event: Record<string, unknown>): boolean {
    const transfer = typeof event.transfer === "string" ? this.transfers.get(event.transfer) : undefined;
    if (!transfer || typeof event.bytes !== "number" || typeof event.total !== "number") {
      return false;
    }

    if (transfer.phase === "staging") {
      transfer.phase = "running";
      transfer.startedAt = Date.now();
    }

    transfer.bytes = Math.max(transfer.bytes, event.bytes);
    transfer.total = event.total;
    return true;
  }

  /** The transfers with one contact, oldest first. */
  forUser(user: string): Transfer[] {
    return [...this.transfers.values()].filter((t) => t.user === user);
  }

  /** The download of one message, if any. */
  forMessage(messageId: string): Transfer | undefined {
    return [...this.transfers.values()].find((t) => t.messageId === messageId);
  }
}
