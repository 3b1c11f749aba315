// The safety number dialog: 12 groups of 5 digits, the QR code of the same payload the CLI shows,
// and "mark as verified".

import qrcode from "qrcode-generator";
import type { VerifyResult } from "../api";
import { h } from "../dom";
import { safetyNumberGroups } from "../format";

/** Builds the dialog and shows it, modal. */
export function showSafetyDialog(result: VerifyResult, confirm: () => Promise<void>): void {
  const groups = safetyNumberGroups(result.safetyNumber);
  const qr = qrcode(0, "M");
  qr.addData(atob(result.qr), "Byte");
  qr.make();
  const status = h("p", { role: "status", "aria-live": "polite" }, result.verified ? `You verified ${result.user}.` : "");
  const verify = h("button", { type: "button", class: "primary", disabled: result.verified }, result.verified ? "Verified ✓" : "Mark as verified");
  const close = h("button", { type: "button" }, "Close");
  const dialog = h(
    "dialog",
    { class: "safety", "aria-labelledby": "safety-title" },
    h("h2", { id: "safety-title" }, `Safety number with ${result.user}`),
    h("p", {}, `Compare these numbers with ${result.user} in person or on a call you trust. If they match, nobody is in the middle.`),
    h("div", { class: "safety-number", "aria-label": "Safety number" }, ...groups.map((g) => h("span", {}, g))),
    h("img", { class: "qr", src: qr.createDataURL(4, 2), alt: `QR code of the safety number with ${result.user}`, width: "200", height: "200" }),
    status,
    h("div", { class: "actions" }, verify, close),
  );
  verify.addEventListener("click", async () => {
    verify.disabled = true;
    try {
      await confirm();
      verify.textContent = "Verified ✓";
      status.textContent = `You verified ${result.user}.`;
    } catch {
      verify.disabled = false;
      status.textContent = "Could not mark as verified. Try again.";
    }
  });
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  document.body.appendChild(dialog);
  dialog.showModal();
}
