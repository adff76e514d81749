/** Counts work under way so shutdown can wait for it to finish instead of cutting it off. */
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Runs `work`, remembered until it settles; returns its result unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const forget = () => this.pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves when nothing is pending, or after `timeoutMs`; returns how many were still pending. */
  async drain(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((resolve) => {
        timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      });
      await Promise.race([Promise.allSettled([...this.pending]), timeout]);
      clearTimeout(timer);
    }
    return this.pending.size;
  }
}
