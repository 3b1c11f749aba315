// Files in a conversation: the attach control (picker and drag and drop), transfer rows with a
// progress bar (bytes, rate, time left, cancel, resume), and the card of a file message (download
// with progress, then a thumbnail for pictures and a save link — only after the daemon verified it).

import { h, svgIcon } from "../dom";
import type { MessageView } from "../model";
import { type DownloadedFile, formatBytes, fraction, progressLine, type Transfer } from "../transfers";

export interface FileActions {
  sendFiles(user: string, files: File[]): void;
  cancelTransfer(id: string): void;
  resumeTransfer(id: string): void;
  download(user: string, messageId: string, name: string): void;
}

/** What the chat view needs to know about files. */
export interface FileState {
  transfers(user: string): Transfer[];
  downloaded(messageId: string): DownloadedFile | undefined;
  download(messageId: string): Transfer | undefined;
}

/** The attach button with its hidden picker. */
export function attachControl(currentUser: () => string | null, actions: FileActions): HTMLElement {
  const picker = h("input", { type: "file", multiple: true, class: "visually-hidden", id: "attach-file", "aria-label": "Attach files", tabindex: "-1" });
  picker.addEventListener("change", () => {
    const user = currentUser();
    if (user && picker.files && picker.files.length > 0) {
      actions.sendFiles(user, [...picker.files]);
    }

    picker.value = "";
  });
  const button = h("button", { type: "button", class: "attach", title: "Attach files", "aria-label": "Attach files", onclick: () => picker.click() }, clipIcon());
  return h("span", { class: "attach-control" }, picker, button);
}

/** Drag and drop of files onto <paramref name="target"/> sends them to the open conversation. */
export function acceptDrops(target: HTMLElement, currentUser: () => string | null, canSend: () => boolean, actions: FileActions): void {
  target.addEventListener("dragover", (event) => {
    if (currentUser() && canSend() && event.dataTransfer?.types.includes("Files")) {
      event.preventDefault();
      target.classList.add("dropping");
    }
  });
  target.addEventListener("dragleave", () => target.classList.remove("dropping"));
  target.addEventListener("drop", (event) => {
    target.classList.remove("dropping");
    const user = currentUser();
    const files = event.dataTransfer?.files;
    if (user && canSend() && files && files.length > 0) {
      event.preventDefault();
      actions.sendFiles(user, [...files]);
    }
  });
}

/** One transfer's row: name, progress bar, figures, cancel or resume. */
export function transferRow(transfer: Transfer, now: number, actions: FileActions): HTMLElement {
  const active = transfer.phase === "staging" || transfer.phase === "running";
  const verb = transfer.direction === "up" ? "Sending" : "Downloading";
  const percent = Math.round(fraction(transfer) * 100);
  return h(
    "li",
    { class: `transfer ${transfer.phase}`, "data-transfer": transfer.id, "data-phase": transfer.phase },
    h("span", { class: "transfer-name" }, `${verb} ${transfer.name}`),
    h("progress", { max: "100", value: String(percent), "aria-label": `${verb} ${transfer.name}: ${percent}%` }),
    h("span", { class: "transfer-figures" }, progressLine(transfer, now)),
    active ? h("button", { type: "button", class: "link", onclick: () => actions.cancelTransfer(transfer.id) }, "Cancel") : null,
    transfer.direction === "up" && (transfer.phase === "failed" || transfer.phase === "cancelled")
      ? h("button", { type: "button", class: "link", onclick: () => actions.resumeTransfer(transfer.id) }, "Resume")
      : null,
  );
}

/** The card of a file message. */
export function fileCard(message: MessageView, state: FileState, actions: FileActions): HTMLElement | null {
  const file = message.file;
  if (!file) {
    return null;
  }

  const title = h("span", { class: "file-name" }, file.name, h("span", { class: "file-size" }, ` · ${formatBytes(file.size)}`));
  if (message.direction === "out") {
    return h("div", { class: "file" }, title);
  }

  const done = state.downloaded(message.id);
  if (done) {
    return h(
      "div",
      { class: "file" },
      title,
      done.image ? h("img", { class: "thumbnail", src: done.url, alt: `Picture ${done.name}` }) : null,
      h("a", { class: "save", href: done.url, download: done.name }, "Save"),
    );
  }

  const running = state.download(message.id);
  const busy = running && (running.phase === "staging" || running.phase === "running");
  return h(
    "div",
    { class: "file" },
    title,
    busy
      ? h(
          "span",
          { class: "file-status" },
          h("progress", { max: "100", value: String(Math.round(fraction(running) * 100)), "aria-label": `Downloading ${file.name}` }),
          ` ${progressLine(running, Date.now())}`,
        )
      : h("button", { type: "button", class: "download", onclick: () => actions.download(message.peer, message.id, file.name) }, running?.phase === "failed" ? "Retry download" : "Download"),
  );
}

function clipIcon(): SVGElement {
  return svgIcon(16, 16, "M10.5 3.5v7a2.5 2.5 0 0 1-5 0V3a1.5 1.5 0 0 1 3 0v7a.5.5 0 0 1-1 0V4", 1.3);
}
