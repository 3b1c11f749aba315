// The web app's entry point: reads the secret from the fragment, connects to the daemon and runs
// the sign-in screen or the messenger.

import { Api } from "./api";
import { h, replaceChildren } from "./dom";
import { Messenger } from "./messenger";
import { callFromFragment, tokenFromFragment } from "./fragment";
import { RpcClient } from "./rpc";
import { loginView } from "./views/login";

const TokenKey = "parley.token";
const ProfileKey = "parley.profile";

function readToken(): string | null {
  const fromFragment = tokenFromFragment(location.hash);
  if (fromFragment) {
    sessionStorage.setItem(TokenKey, fromFragment);
    history.replaceState(null, "", location.pathname); // the secret leaves the address bar
    return fromFragment;
  }

  return sessionStorage.getItem(TokenKey);
}

function start(): void {
  let pendingCall = callFromFragment(location.hash); // read before the fragment leaves the address bar
  const root = document.getElementById("app");
  if (!root) {
    return;
  }

  const token = readToken();
  if (!token) {
    replaceChildren(
      root,
      h(
        "div",
        { class: "card" },
        h("h1", {}, "Parley"),
        h("p", {}, "Open Parley with the address that `parley ui` prints: it carries the key to your local daemon."),
      ),
    );
    return;
  }

  const rpc = new RpcClient(`ws://${location.host}/api/v1/ws`, token);
  const api = new Api(rpc, token);
  let messenger: Messenger | null = null;
  let started = false;

  // After a logout or a deletion: the next profile this daemon serves, or the sign-in screen.
  const showLogin = () => {
    messenger?.dispose();
    messenger = null;
    void api.info().then(
      (info) => (info.profiles[0] ? void showMessenger(info.profiles[0]) : replaceChildren(root, loginView(api, (account) => void showMessenger(account.user)))),
      () => replaceChildren(root, loginView(api, (account) => void showMessenger(account.user))),
    );
  };

  // Another account beside the ones served: the sign-in screen, with a way back.
  const addAccount = () => {
    const back = api.profile;
    messenger?.dispose();
    messenger = null;
    replaceChildren(root, loginView(api, (account) => void showMessenger(account.user), back ? () => void showMessenger(back) : undefined));
  };

  const showMessenger = async (profile: string) => {
    sessionStorage.setItem(ProfileKey, profile);
    api.profile = profile;
    messenger?.dispose();
    messenger = new Messenger(api, root, { logout: showLogin, switchTo: (user) => void showMessenger(user), addAccount });
    await messenger.load();
    if (pendingCall) {
      messenger.call(pendingCall.user, pendingCall.media);
      pendingCall = null;
    }
  };

  rpc.onUnauthorized = () => {
    sessionStorage.removeItem(TokenKey);
    replaceChildren(root, h("div", { class: "card" }, h("h1", {}, "Parley"), h("p", { role: "alert" }, "The daemon refused this page's key. Open the address `parley ui` prints again.")));
  };
  rpc.onEvent = (event) => messenger?.onEvent(event);
  rpc.onState = (state) => {
    messenger?.onDaemonState(state);
    if (state !== "open") {
      return;
    }

    if (started && messenger) {
      void messenger.load(); // reconnected: re-subscribe and catch up
      return;
    }

    started = true;
    void api.info().then(
      (info) => {
        const remembered = sessionStorage.getItem(ProfileKey);
        const profile = remembered && info.profiles.includes(remembered) ? remembered : info.profiles[0];
        if (profile) {
          void showMessenger(profile);
        } else {
          showLogin();
        }
      },
      () => showLogin(),
    );
  };
  rpc.start();
}

start();
