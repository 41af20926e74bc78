import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Bundles a worker module and its imports into one CommonJS script with esbuild. Workers run that
 * script as plain JavaScript: under a TypeScript loader hook, every file-system call a worker makes
 * costs several times more (measured: a 10,000-article build took 6.1 s with tsx in the workers,
 * 2.7 s with the bundle), and the hook is not inherited by worker threads anyway.
 */
export async function bundleWorker(moduleUrl: URL): Promise<string> {
  // Running from the bundled CLI (`npm start`, see scripts/cli-bundle.mjs), this module is a chunk in
  // functions/.build/, beside the worker bundled with it: read instead of bundled again (measured 0.4
  // to 0.8 s a run). From the TypeScript sources no such file is beside it, and the worker is bundled.
  const prebuilt = new URL(`./${basename(fileURLToPath(moduleUrl), '.ts')}.cjs`, import.meta.url);
  if (import.meta.url.includes('/functions/.build/') && existsSync(prebuilt))
    return readFileSync(prebuilt, 'utf8');
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(moduleUrl)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

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

  /** `script` is the worker's code as one self-contained CommonJS bundle (see `bundleWorker`). */
  constructor(size: number, script: string, data: Record<string, unknown>) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, { eval: true, workerData: data });
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
