// Display text: day headings, times, message previews, safety-number groups and the sentences for
// API failures. Pure functions (no DOM, no state), unit-tested under node.

import type { MessageView } from "./model";

/** Milliseconds since the epoch of an ISO 8601 time (0 when unparsable, so bad input sorts first). */
export function time(iso: string): number {
  const value = Date.parse(iso);
  return Number.isNaN(value) ? 0 : value;
}

/** A day heading and the messages of that day (local time), in order. */
export interface DayGroup {
  label: string;
  messages: MessageView[];
}

function dayKey(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

/** "Today", "Yesterday", or the date (with the year when it is not this year). */
export function formatDay(iso: string, now: Date): string {
  const date = new Date(time(iso));
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (dayKey(date) === dayKey(now)) {
    return "Today";
  }

  if (dayKey(date) === dayKey(yesterday)) {
    return "Yesterday";
  }

  const options: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short" };
  if (date.getFullYear() !== now.getFullYear()) {
    options.year = "numeric";
  }

  return date.toLocaleDateString("en-GB", options);
}

/** The time of day, 24-hour "HH:MM". */
export function formatTime(iso: string): string {
  const date = new Date(time(iso));
  return `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
}

/** Splits messages into day groups (messages must be in time order). */
export function groupByDay(messages: MessageView[], now: Date): DayGroup[] {
  const groups: DayGroup[] = [];
  let key = "";
  for (const message of messages) {
    const next = dayKey(new Date(time(message.sentAt)));
    if (next !== key || groups.length === 0) {
      groups.push({ label: formatDay(message.sentAt, now), messages: [] });
      key = next;
    }

    groups[groups.length - 1].messages.push(message);
  }

  return groups;
}

/** The safety number as its 12 groups of 5 digits (whatever spacing the API used). */
export function safetyNumberGroups(safetyNumber: string): string[] {
  const digits = safetyNumber.replace(/\D/g, "");
  const groups: string[] = [];
  for (let i = 0; i + 5 <= digits.length; i += 5) {
    groups.push(digits.slice(i, i + 5));
  }

  return groups;
}

/** A one-line preview of a message for the sidebar. */
export function preview(message: MessageView | undefined, maxLength = 60): string {
  if (!message) {
    return "";
  }

  const line = message.file ? `File: ${message.file.name}` : message.text.replace(/\s+/g, " ").trim();
  const text = line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line;
  return message.direction === "out" ? `You: ${text}` : text;
}

/** The user-facing sentence for an API failure kind. */
export function describeError(kind: string | undefined, fallback: string): string {
  switch (kind) {
    case "serverUnreachable":
      return "The server cannot be reached. Check your connection and try again.";
    case "serverUnreachableMessageQueued":
      return "The server cannot be reached; the message is queued and will be sent when it is back.";
    case "wrongPassword":
      return "Wrong user name or password.";
    case "notAContact":
      return "You can only message contacts. Send a contact request first.";
    case "blocked":
      return "You blocked this user. Unblock them to send messages.";
    case "keyChanged":
      return "This contact's safety number changed. Verify it before sending.";
    case "notLoggedIn":
      return "You are not logged in.";
    case "noPendingRequest":
      return "There is no pending request from this user any more.";
    case "userDoesNotExist":
      return "There is no such user.";
    case "userExists":
      return "That user name is taken.";
    case "weakPassword":
      return "That password is too weak. Use a longer passphrase.";
    case "certificateChanged":
      return "The server's certificate changed since you last connected. Do not continue unless the operator told you why.";
    case "certificateNotTrusted":
      return "The server's certificate is not trusted yet: compare its fingerprint with the operator's and confirm it.";
    case "daemonUnreachable":
      return "Not connected to the Parley daemon. Is it still running?";
    case "timeout":
      return "The Parley daemon did not answer in time.";
    default:
      return fallback;
  }
}
