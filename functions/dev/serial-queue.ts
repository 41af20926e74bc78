/**
 * The in-process stand-in for an SQS queue and its Lambda consumer in `npm run dev:cloud`: tasks
 * run one after another (a reserved concurrency of 1), and the queue tells when nothing is queued,
 * running or scheduled, which is what the tests and the `/_dev/` routes wait for.
 */
export class SerialQueue {
  private chain: Promise<void> = Promise.resolve();
  private outstanding = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly onError: (error: unknown) => void) {}

  push(task: () => Promise<void>): void {
    this.outstanding++;
    this.chain = this.chain
      .then(task)
      .catch(this.onError)
      .finally(() => this.release());
  }

  /** Holds idleness while work outside the queue is pending (a timer, a request); `release` gives it back. */
  hold(): void {
    this.outstanding++;
  }

  release(): void {
    this.outstanding--;
    if (this.outstanding === 0) for (const waiter of this.waiters.splice(0)) waiter();
  }

  get isIdle(): boolean {
    return this.outstanding === 0;
  }

  idle(): Promise<void> {
    return this.outstanding === 0 ? Promise.resolve() : new Promise((done) => this.waiters.push(done));
  }

  /** Settles when every task pushed so far has run (tasks pushed later are not waited for). */
  drain(): Promise<void> {
    return this.chain;
  }
}
