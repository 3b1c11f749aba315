// First run: register or log in. The server's certificate fingerprint is pinned on first contact
// (trust on first use): the daemon probes the server, the page shows the fingerprint and the user
// confirms it (or pastes the one the operator published); a certificate that changed since it was
// pinned is refused with a clear sentence before any password leaves the page.

import type { AccountResult, Api, ProbeResult } from "../api";
import { h } from "../dom";
import { describeError } from "../format";
import { RpcError } from "../rpc";

export function loginView(api: Api, done: (account: AccountResult) => void, cancel?: () => void): HTMLElement {
  let mode: "register" | "login" = "register";
  const status = h("p", { class: "form-error", role: "alert", "aria-live": "assertive" });
  const user = h("input", { id: "login-user", name: "user", autocomplete: "username", required: true, maxlength: "32", spellcheck: "false" });
  const server = h("input", { id: "login-server", name: "server", type: "url", required: true, value: "https://127.0.0.1:8443", spellcheck: "false" });
  const password = h("input", { id: "login-password", name: "password", type: "password", autocomplete: "new-password", required: true });
  const fingerprint = h("input", { id: "login-fingerprint", name: "fingerprint", placeholder: "SHA256:…", spellcheck: "false" });
  const probedText = h("code", { id: "login-probed", class: "fingerprint" });
  const trustBox = h("input", { id: "login-trust", type: "checkbox" });
  const probe = h(
    "div",
    { class: "probe", hidden: true },
    h("p", {}, "The server presents this certificate fingerprint:"),
    probedText,
    h("div", { class: "check" }, trustBox, h("label", { for: "login-trust" }, "It matches the one the operator published: trust this server")),
  );
  let probed: { key: string; result: ProbeResult } | null = null;
  const resetProbe = () => {
    probed = null;
    probe.hidden = true;
    trustBox.checked = false;
  };
  user.addEventListener("input", resetProbe);
  server.addEventListener("input", resetProbe);
  const meter = h("meter", { id: "login-strength", min: "0", max: "4", value: "0", "aria-label": "Password strength" });
  const meterText = h("span", { class: "hint", id: "login-strength-text", "aria-live": "polite" });
  const submit = h("button", { type: "submit", class: "primary" }, "Create account");
  const registerTab = h("button", { type: "button", role: "tab", "aria-selected": "true", id: "tab-register" }, "Create account");
  const loginTab = h("button", { type: "button", role: "tab", "aria-selected": "false", id: "tab-login" }, "Log in");

  let estimator: typeof import("../strength") | null = null;
  void import("../strength").then((module) => {
    estimator = module;
    updateStrength();
  });
  const updateStrength = () => {
    const strength = estimator ? estimator.passwordStrength(password.value, user.value) : { score: 0, label: "" };
    meter.value = strength.score;
    meterText.textContent = mode === "register" ? strength.label : "";
    meter.hidden = mode !== "register";
  };
  password.addEventListener("input", updateStrength);

  const setMode = (next: "register" | "login") => {
    mode = next;
    registerTab.setAttribute("aria-selected", String(next === "register"));
    loginTab.setAttribute("aria-selected", String(next === "login"));
    submit.textContent = next === "register" ? "Create account" : "Log in";
    password.autocomplete = next === "register" ? "new-password" : "current-password";
    status.textContent = "";
    updateStrength();
  };
  registerTab.addEventListener("click", () => setMode("register"));
  loginTab.addEventListener("click", () => setMode("login"));

  const form = h(
    "form",
    { class: "card login", "aria-labelledby": "login-title" },
    h("h1", { id: "login-title" }, "Parley"),
    h("p", { class: "tagline" }, "End-to-end encrypted messages. Your keys stay on this computer."),
    h("div", { role: "tablist", class: "tabs", "aria-label": "Account" }, registerTab, loginTab),
    h("label", { for: "login-user" }, "User name"),
    user,
    h("label", { for: "login-server" }, "Server"),
    server,
    h("label", { for: "login-password" }, "Password"),
    password,
    h("div", { class: "strength" }, meter, meterText),
    probe,
    h("label", { for: "login-fingerprint" }, "Or paste the fingerprint the operator published (first time only)"),
    fingerprint,
    h("p", { class: "hint" }, "Parley asks the server for its certificate before you sign in, remembers it, and refuses the server if it ever changes."),
    status,
    submit,
    cancel ? h("button", { type: "button", class: "link", onclick: cancel }, "Back") : null,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    status.textContent = mode === "register" ? "Creating your keys and account…" : "Logging in…";
    try {
      const decision = await decideTrust();
      if (decision === null) {
        return;
      }

      const trust = decision || undefined;
      status.textContent = mode === "register" ? "Creating your keys and account…" : "Logging in…";
      const account = mode === "register"
        ? await api.register(user.value.trim(), server.value.trim(), password.value, trust)
        : await api.login(user.value.trim(), server.value.trim(), password.value, trust);
      password.value = "";
      done(account);
    } catch (error) {
      const failure = error instanceof RpcError ? error : new RpcError(-1, "Something went wrong.");
      status.textContent = describeError(failure.kind, failure.message);
      if (failure.kind === "certificateNotTrusted") {
        fingerprint.focus();
      }
    } finally {
      submit.disabled = false;
    }
  });

  /**
   * The fingerprint to pin ("" when the profile's pin applies), or null when the user must look first:
   * a pasted fingerprint is used as it is (register and login check it against the server); otherwise
   * the daemon probes the server, the page shows what it presents and waits for the user's
   * confirmation on first use, and a certificate that changed since it was pinned is refused.
   */
  const decideTrust = async (): Promise<string | null> => {
    const pasted = fingerprint.value.trim();
    if (pasted) {
      return pasted;
    }

    const key = `${server.value.trim()}\n${user.value.trim()}`;
    if (!probed || probed.key !== key) {
      status.textContent = "Asking the server for its certificate…";
      const result = await api.probe(server.value.trim(), user.value.trim());
      probed = { key, result };
      probedText.textContent = result.fingerprint;
      probe.hidden = false;
      trustBox.parentElement!.hidden = result.pinned !== undefined;
      if (!result.changed && result.pinned === undefined) {
        status.textContent = "First connection to this server: compare its fingerprint below with the one the operator published, then confirm it.";
        trustBox.focus();
        return null;
      }
    }

    const result = probed.result;
    if (result.changed) {
      status.textContent = `Refused: the server's certificate changed since you trusted it (it was ${result.pinned}, it is now ${result.fingerprint}). Do not continue unless the operator told you why.`;
      return null;
    }

    if (result.pinned !== undefined) {
      return ""; // the pin this profile has, checked again by the daemon
    }

    if (!trustBox.checked) {
      status.textContent = "Confirm the server's fingerprint first.";
      trustBox.focus();
      return null;
    }

    return result.fingerprint;
  };

  updateStrength();
  return form;
}
