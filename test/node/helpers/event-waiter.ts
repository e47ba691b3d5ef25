/** Collects events and lets a test await the first one matching a predicate (no sleeps). */
export class EventWaiter<E> {
  readonly events: E[] = [];
  private waiters: { match: (e: E) => boolean; resolve: (e: E) => void }[] = [];

  readonly push = (event: E): void => {
    this.events.push(event);
    for (const w of [...this.waiters]) {
      if (w.match(event)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(event);
      }
    }
  };

  /** Resolves with the first event (already seen or future) matching `match`. */
  waitFor<T extends E>(match: (e: E) => e is T): Promise<T>;
  waitFor(match: (e: E) => boolean): Promise<E>;
  waitFor(match: (e: E) => boolean): Promise<E> {
    const seen = this.events.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
}
