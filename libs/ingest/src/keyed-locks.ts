/**
 * Exclusive holds on sets of keys within one process. A set is taken whole, once none of its keys is held
 * or wanted by a set that asked before it: so holders never wait on one another while holding (no
 * deadlock), and sets that share a key go in the order they asked (none starves). Sets that share no key
 * run side by side.
 */
export class KeyedLocks {
  private readonly held = new Set<string>();
  private readonly queue: { keys: readonly string[]; grant: () => void }[] = [];

  /** Runs `work` holding every key; the keys are let go however it ends. */
  async hold<T>(keys: Iterable<string>, work: () => Promise<T>): Promise<T> {
    const wanted = [...new Set(keys)];
    await this.take(wanted);
    try {
      return await work();
    } finally {
      for (const key of wanted) this.held.delete(key);
      this.grantWaiting();
    }
  }

  /** How many sets are waiting: for metrics and tests. */
  get waiting(): number {
    return this.queue.length;
  }

  private take(keys: readonly string[]): Promise<void> {
    const ahead = new Set(this.queue.flatMap((w) => w.keys));
    if (keys.every((key) => !this.held.has(key) && !ahead.has(key))) {
      for (const key of keys) this.held.add(key);
      return Promise.resolve();
    }
    return new Promise((grant) => this.queue.push({ keys, grant }));
  }

  /** Grants, in the order they asked, every waiting set whose keys are free and not wanted by one before it. */
  private grantWaiting(): void {
    const blocked = new Set<string>();
    for (let i = 0; i < this.queue.length;) {
      const { keys, grant } = this.queue[i]!;
      if (keys.some((key) => this.held.has(key) || blocked.has(key))) {
        for (const key of keys) blocked.add(key);
        i++;
        continue;
      }
      for (const key of keys) this.held.add(key);
      this.queue.splice(i, 1);
      grant();
    }
  }
}
