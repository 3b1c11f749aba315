// The account dialog: the profiles this daemon serves (switch, add another), change password (with
// the same strength rule as the CLI) and delete the account (password and the user name typed again).

import type { Api } from "../api";
import { h } from "../dom";
import { describeError } from "../format";
import { RpcError } from "../rpc";

export interface AccountActions {
  switchTo(user: string): void;
  addAccount(): void;
  deleted(): void;
  /** The notification-preview setting changed (the daemon saved it). */
  previews(on: boolean): void;
}

/** Builds the dialog and shows it, modal. */
export function showAccountDialog(api: Api, profiles: string[], actions: AccountActions): void {
  const me = api.profile;
  const close = h("button", { type: "button" }, "Close");
  const dialog = h(
    "dialog",
    { class: "account", "aria-labelledby": "account-title" },
    h("h2", { id: "account-title" }, `Account: ${me}`),
    profilesSection(profiles, me, actions, () => dialog.close()),
    notificationsSection(api, actions),
    passwordSection(api, me),
    deleteSection(api, me, actions, () => dialog.close()),
    h("div", { class: "actions" }, close),
  );
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  document.body.appendChild(dialog);
  dialog.showModal();
}

function profilesSection(profiles: string[], me: string, actions: AccountActions, close: () => void): HTMLElement {
  const others = profiles.filter((p) => p !== me);
  return h(
    "section",
    { "aria-labelledby": "profiles-title" },
    h("h3", { id: "profiles-title" }, "Profiles on this computer"),
    others.length === 0 ? h("p", { class: "hint" }, "Only this one.") : null,
    h(
      "ul",
      { class: "profiles" },
      ...others.map((p) =>
        h("li", {}, h("span", {}, p), h("button", { type: "button", onclick: () => { close(); actions.switchTo(p); } }, `Switch to ${p}`))),
    ),
    h("button", { type: "button", class: "link", onclick: () => { close(); actions.addAccount(); } }, "Add another account"),
  );
}

/** Message text in desktop notifications: off unless turned on here; the box shows what the daemon saved. */
function notificationsSection(api: Api, actions: AccountActions): HTMLElement {
  const box = h("input", { id: "notify-previews", type: "checkbox", disabled: true });
  const status = h("p", { role: "status", "aria-live": "polite", class: "form-status" });
  const describe = (on: boolean) => (on ? "Notifications show the message text." : "Notifications say only who wrote.");
  void api.settings().then((result) => {
    box.checked = result.notificationPreviews;
    box.disabled = false;
  }, () => {
    status.textContent = "The settings could not be read.";
  });
  box.addEventListener("change", async () => {
    const wanted = box.checked;
    box.disabled = true;
    try {
      const result = await api.settings(wanted);
      box.checked = result.notificationPreviews;
      actions.previews(result.notificationPreviews);
      status.textContent = describe(result.notificationPreviews);
    } catch (error) {
      box.checked = !wanted;
      status.textContent = error instanceof RpcError ? describeError(error.kind, error.message) : "The setting could not be saved.";
    } finally {
      box.disabled = false;
    }
  });
  return h(
    "section",
    { "aria-labelledby": "notify-title" },
    h("h3", { id: "notify-title" }, "Notifications"),
    h("div", { class: "check" }, box, h("label", { for: "notify-previews" }, "Show message text in notifications")),
    h("p", { class: "hint" }, "Off by default: a notification then says only who wrote, so no text shows on a locked or shared screen."),
    status,
  );
}

function passwordSection(api: Api, me: string): HTMLElement {
  const current = h("input", { id: "pw-current", type: "password", autocomplete: "current-password", required: true });
  const next = h("input", { id: "pw-new", type: "password", autocomplete: "new-password", required: true });
  const meterText = h("span", { class: "hint", id: "pw-strength-text", "aria-live": "polite" });
  const status = h("p", { role: "status", "aria-live": "polite", class: "form-status" });
  const submit = h("button", { type: "submit" }, "Change password");
  let estimator: typeof import("../strength") | null = null;
  let acceptable = false;
  const update = () => {
    const strength = estimator ? estimator.passwordStrength(next.value, me) : { score: 0, label: "" };
    acceptable = estimator !== null && strength.score >= estimator.MinScore;
    meterText.textContent = strength.label;
  };
  void import("../strength").then((module) => {
    estimator = module;
    update();
  });
  next.addEventListener("input", update);
  const form = h(
    "form",
    { class: "password-form", "aria-labelledby": "pw-title" },
    h("h3", { id: "pw-title" }, "Change password"),
    h("label", { for: "pw-current" }, "Current password"),
    current,
    h("label", { for: "pw-new" }, "New password"),
    next,
    meterText,
    h("p", { class: "hint" }, "Every other session of your account is logged out; this one stays."),
    status,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!acceptable) {
      status.textContent = "The new password is too weak: use a longer passphrase.";
      return;
    }

    submit.disabled = true;
    status.textContent = "Changing…";
    try {
      await api.rpc.call("account.password", api.scopedParams({ password: current.value, newPassword: next.value }));
      current.value = next.value = "";
      update();
      status.textContent = "Password changed.";
    } catch (error) {
      status.textContent = error instanceof RpcError ? describeError(error.kind, error.message) : "The password could not be changed.";
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function deleteSection(api: Api, me: string, actions: AccountActions, close: () => void): HTMLElement {
  const password = h("input", { id: "del-password", type: "password", autocomplete: "current-password", required: true });
  const confirmName = h("input", { id: "del-confirm", required: true, spellcheck: "false", autocomplete: "off" });
  const status = h("p", { role: "status", "aria-live": "polite", class: "form-status" });
  const submit = h("button", { type: "submit", class: "danger" }, "Delete my account");
  const form = h(
    "form",
    { class: "delete-form", "aria-labelledby": "del-title" },
    h("h3", { id: "del-title" }, "Delete account"),
    h("p", { class: "hint" }, `This deletes ${me} on the server and every message and key on this computer. It cannot be undone.`),
    h("label", { for: "del-password" }, "Password"),
    password,
    h("label", { for: "del-confirm" }, `Type ${me} to confirm`),
    confirmName,
    status,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (confirmName.value.trim() !== me) {
      status.textContent = `Type ${me} exactly to confirm.`;
      return;
    }

    submit.disabled = true;
    status.textContent = "Deleting…";
    try {
      await api.rpc.call("account.delete", api.scopedParams({ password: password.value }));
      close();
      actions.deleted();
    } catch (error) {
      password.value = "";
      status.textContent = error instanceof RpcError ? describeError(error.kind, error.message) : "The account could not be deleted.";
      submit.disabled = false;
    }
  });
  return form;
}
