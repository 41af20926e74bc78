import { Worker } from 'node:worker_threads';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** A fixed set of worker threads running one module; tasks go to whichever worker is free. */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Array<{ message: unknown; transfer: ArrayBuffer[]; pending: Pending }> = [];
  private readonly running = new Map<Worker, Pending>();
  private failure: Error | undefined;

  constructor(size: number, moduleUrl: URL, data: Record<string, unknown>) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
        workerData: { ...data, module: moduleUrl.href },
      });
      worker.on('message', (message: { ok: boolean; value?: unknown; error?: string }) => {
        const pending = this.running.get(worker);
        this.running.delete(worker);
        if (pending) {
          if (message.ok) pending.resolve(message.value);
          else pending.reject(new Error(message.error));
        }
        this.release(worker);
      });
      worker.on('error', (error) => {
        this.failure = error;
        this.running.get(worker)?.reject(error);
        this.running.delete(worker);
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  run<T>(message: unknown, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ message, transfer, pending: { resolve: resolve as (v: unknown) => void, reject } });
      this.pump();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private release(worker: Worker): void {
    this.idle.push(worker);
    this.pump();
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const worker = this.idle.pop()!;
      const task = this.queue.shift()!;
      this.running.set(worker, task.pending);
      worker.postMessage(task.message, task.transfer);
    }
  }
}
