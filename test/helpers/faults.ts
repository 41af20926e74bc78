/**
 * Crash injection for the fault suites: a port wrapped so that the Nth write call completes and then
 * the "process" dies, as a Lambda timing out right after that write would. From the crash on, every
 * call through the wrapper fails (a dead invocation does nothing more, not even its `finally` blocks'
 * writes), until the suite starts the next invocation with `revive()`.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createStoryTable } from './emulators.js';

export class InjectedCrash extends Error {
  constructor(readonly write: number) {
    super(`injected crash after write ${write}`);
    this.name = 'InjectedCrash';
  }
}

/** Counts write calls across every port it wraps, and crashes once, after write number `after`. */
export class Crasher {
  /** Write calls made so far. */
  writes = 0;
  /** Whether the crash happened (it happens once per crasher). */
  crashed = false;
  private dead = false;
  /** The port calls made, in order, as `port.method`: to name the crash point when a trial fails. */
  readonly log: string[] = [];

  /**
   * Without `after`, it only counts. `start`: writes already made before this crasher took over (a run
   * resumed from a checkpoint counts on from there).
   */
  constructor(
    readonly after?: number,
    private readonly start = 0,
  ) {
    this.writes = start;
  }

  /** A new invocation (another Lambda container): calls work again. */
  revive(): void {
    this.dead = false;
  }

  /** The name of the write the crash followed. */
  get crashPoint(): string | undefined {
    return this.crashed
      ? this.log.filter((entry) => entry.endsWith('*'))[this.after! - this.start - 1]
      : undefined;
  }

  before(): void {
    if (this.dead) throw new InjectedCrash(this.writes);
  }

  afterWrite(): void {
    this.writes++;
    if (!this.crashed && this.writes === this.after) {
      this.crashed = true;
      this.dead = true;
      throw new InjectedCrash(this.writes);
    }
  }
}

/**
 * `port` with every method routed through `crasher`; the methods named in `writes` count as writes
 * (the crash comes after the write completed). Reads fail too once the crash happened.
 */
export function crashing<T extends object>(
  name: string,
  port: T,
  writes: ReadonlySet<string>,
  crasher: Crasher,
): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = String(property);
      return async (...args: unknown[]) => {
        crasher.before();
        const isWrite = writes.has(method);
        crasher.log.push(`${name}.${method}${isWrite ? '*' : ''}`);
        const result = await value.apply(target, args);
        if (isWrite) crasher.afterWrite();
        return result;
      };
    },
  });
}

export type Rng = () => number;

export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Each item 1–3 times, in a shuffled order: how SQS may give failed messages back. */
export function redeliveries<T>(rng: Rng, items: readonly T[]): T[] {
  return shuffle(
    rng,
    items.flatMap((item) => Array.from({ length: 1 + Math.floor(rng() * 3) }, () => item)),
  );
}

export interface FaultFigures {
  trials: number;
  /** Trials that ended exactly where the uninterrupted run did. */
  recovered: number;
  /** Articles (or subscribers) that went missing: in no story, never mailed and not flagged. */
  lost: number;
  /** Things present twice or that should be gone: a member in two stories or a deleted one still listed; a second mail. */
  duplicated: number;
  /** Anything else the suite counts, printed after the four figures. */
  notes?: Record<string, number>;
}

/** One line per suite in the test output. */
export function printFigures(suite: string, figures: FaultFigures): void {
  const notes = Object.entries(figures.notes ?? {}).map(([name, value]) => `, ${value} ${name}`);
  console.log(
    `fault suite ${suite}: ${figures.trials} trials, ${figures.recovered} recovered, ` +
      `${figures.lost} lost, ${figures.duplicated} duplicated${notes.join('')}`,
  );
}

type Item = Record<string, unknown>;

/** Every item of a table (small tables: the fault suites' worlds). */
export async function scanTable(client: DynamoDBDocumentClient, table: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** A new table holding `items` (a story table unless `create` makes another): each trial starts from the same stored state. */
export async function tableWith(
  client: DynamoDBDocumentClient,
  table: string,
  items: readonly Item[],
  create: (client: DynamoDBDocumentClient, table: string) => Promise<void> = createStoryTable,
): Promise<void> {
  await create(client, table);
  const requests = items.map((Item) => ({ PutRequest: { Item } }));
  const batches: (typeof requests)[] = [];
  for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
  await Promise.all(
    batches.map(async (batch) => {
      let pending = batch;
      while (pending.length) {
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (result.UnprocessedItems?.[table] ?? []) as typeof batch;
      }
    }),
  );
}
