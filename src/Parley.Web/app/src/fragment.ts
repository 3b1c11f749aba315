// What the page's address fragment carries (never sent to any server): the daemon's secret, and the
// call `parley call` asks the page to place.

/** The call `parley call USER [--video]` asks for in the address (`…&call=USER&media=video`), or null. */
export function callFromFragment(hash: string): { user: string; media: "audio" | "video" } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const user = params.get("call");
  if (!user || !/^[a-z0-9_.-]{3,32}$/.test(user)) {
    return null;
  }

  return { user, media: params.get("media") === "video" ? "video" : "audio" };
}

/** Reads the secret from the page's fragment (`#token=HEX`); null when absent or malformed. */
export function tokenFromFragment(hash: string): string | null {
  const match = /^#?(?:.*&)?token=([0-9a-fA-F]{64})(?:&|$)/.exec(hash);
  return match ? match[1] : null;
}
