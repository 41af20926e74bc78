/**
 * Counts the AWS SDK requests a piece of code makes, by service and operation, with the bytes sent
 * and received: a middleware added to every SDK client the first time it sends (clients are made
 * inside the composition roots, so they cannot be handed one). Used by the cost counters
 * (test/integration/cost-counters.test.ts), which run the real handlers against the emulators.
 */
import { Client } from '@smithy/core/client';

export interface OperationCount {
  count: number;
  requestBytes: number;
  responseBytes: number;
}

/** `Service.Operation` → totals, e.g. `DynamoDB.PutItemCommand`. */
export type Counts = Record<string, OperationCount>;

type Stack = { add(middleware: unknown, options: Record<string, unknown>): void };

function bodyBytes(body: unknown): number {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return 0;
}

export class RequestCounter {
  private counts: Counts = {};
  private readonly instrumented = new WeakSet<object>();
  private original?: typeof Client.prototype.send;

  install(): void {
    const original = Client.prototype.send;
    this.original = original;
    const counter = this;
    Client.prototype.send = function (this: Client<never, never, never, never>, ...args: never[]) {
      counter.instrument(this as unknown as { middlewareStack: Stack; config: { serviceId?: string } });
      return (original as (...a: never[]) => unknown).apply(this, args);
    } as typeof Client.prototype.send;
  }

  uninstall(): void {
    if (this.original) Client.prototype.send = this.original;
  }

  /** Leaves this client's requests uncounted (a test's own uploads, say). */
  ignore(client: { middlewareStack: object }): void {
    this.instrumented.add(client.middlewareStack);
  }

  /** The counts since the last take, and a fresh start. */
  take(): Counts {
    const taken = this.counts;
    this.counts = {};
    return taken;
  }

  private instrument(client: { middlewareStack: Stack; config: { serviceId?: string } }): void {
    // A document client shares its base client's stack: one middleware per stack.
    if (this.instrumented.has(client.middlewareStack)) return;
    this.instrumented.add(client.middlewareStack);
    const service = client.config.serviceId ?? 'unknown';
    client.middlewareStack.add(
      (
        next: (args: unknown) => Promise<{ response: { headers?: Record<string, string> } }>,
        context: { commandName?: string },
      ) =>
        async (args: { request?: { body?: unknown } }) => {
          const result = await next(args);
          const key = `${service}.${context.commandName ?? 'unknown'}`;
          const entry = this.counts[key] ?? { count: 0, requestBytes: 0, responseBytes: 0 };
          this.counts[key] = entry;
          entry.count += 1;
          entry.requestBytes += bodyBytes(args.request?.body);
          // A HEAD response names the object's length but carries no body.
          if (context.commandName !== 'HeadObjectCommand') {
            entry.responseBytes += Number(result.response.headers?.['content-length'] ?? 0);
          }
          return result;
        },
      { step: 'finalizeRequest', name: 'costCounter', priority: 'low' },
    );
  }
}
