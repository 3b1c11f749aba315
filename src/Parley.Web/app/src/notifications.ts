// What a desktop notification may say. Message text only with the user's consent (the daemon keeps
// the `notificationPreviews` setting per profile); otherwise only who wrote.

/** The longest message text a notification shows (previews on). */
export const MaxNotificationText = 100;

export interface NotifyRequest {
  kind: "message" | "request";
  title: string;
  /** The message text (for a message): shown only with previews on. */
  body: string;
}

/** The notification's body: "New message" unless previews are on; a request says what it is. */
export function notificationBody(notify: NotifyRequest, previews: boolean): string {
  if (notify.kind === "request") {
    return "wants to be your contact";
  }

  if (!previews) {
    return "New message";
  }

  const line = notify.body.replace(/\s+/g, " ").trim();
  return line.length > MaxNotificationText ? `${line.slice(0, MaxNotificationText - 1)}…` : line;
}

/** Shows a desktop notification (asking for permission the first time); nothing where notifications are unavailable. */
export function showNotification(request: NotifyRequest, previews: boolean): void {
  if (!("Notification" in globalThis)) {
    return;
  }

  // Only who wrote, unless the user turned message previews on (the daemon's `settings`).
  const show = () => new Notification(`Parley: ${request.title}`, { body: notificationBody(request, previews), tag: request.title });
  if (Notification.permission === "granted") {
    show();
  } else if (Notification.permission === "default") {
    void Notification.requestPermission().then((permission) => permission === "granted" && show());
  }
}
