// Password strength as the CLI judges it (zxcvbn, score 3 or more is accepted; the user name and
// "parley" count as guessable). Loaded only on the sign-in screen: the dictionaries are large.

import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

/** The lowest accepted score (the same as the CLI's PasswordPolicy). */
export const MinScore = 3;

const Labels = ["Very weak", "Weak", "Fair", "Strong", "Very strong"];

const factory = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });

export function passwordStrength(password: string, user: string): { score: number; label: string } {
  if (password.length === 0) {
    return { score: 0, label: "" };
  }

  const score = factory.check(password.slice(0, 256), [user, "parley"]).score;
  const verdict = score >= MinScore ? "accepted" : "too weak: use a longer passphrase";
  return { score, label: `${Labels[score]} — ${verdict}` };
}
