// Overlapping reads of the same thing, answered in any order: only the newest answer counts.
//
// The daemon serves the page's requests concurrently, and the `conversations` answer waits up to two
// seconds for the server's presence round trip: a list asked before a contact accepted can arrive
// after one asked later, and applying it would put the stale "request sent" back (the composer then
// stayed hidden for good: an intermittent CI failure).

export class LatestAnswer {
  private asked = 0;
  private applied = 0;

  /** Runs `ask`; resolves to its answer, or to `undefined` when an answer to a later call was already returned. */
  async run<T>(ask: () => Promise<T>): Promise<T | undefined> {
    const number = ++this.asked;
    const answer = await ask();
    if (number < this.applied) {
      return undefined;
    }

    this.applied = number;
    return answer;
  }
}
