/**
 * `npm run subscribers -- import FILE.csv | export | forget ADDRESS`: the list owner's tool, against
 * the deployed email table (AWS credentials and region from the environment, names from the stack
 * outputs) or against a running `dev:cloud` (its DynamoDB emulator and site server). Thin: parse
 * arguments, pick adapters, run the use cases of `core/email/subscriber-admin.ts`, print a report.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createSecretsClient, createSqsClient } from '../../adapters/aws/clients.js';
import { SecretsIdKey } from '../../adapters/aws/secrets.js';
import { SqsSubscribeQueue } from '../../adapters/aws/sqs-subscribe-queue.js';
import { DynamoSubscriberAdminStore } from '../../adapters/aws/subscriber-admin-store.js';
import { idKeyFromText } from '../../adapters/fixed-secrets.js';
import { systemClock } from '../../compose/shared.js';
import { normalizeAddress } from '../../core/email/address.js';
import { ImportFileError, parseImportCsv } from '../../core/email/import-csv.js';
import type { SubscriberIdKeySource } from '../../core/email/ports.js';
import {
  exportCsv,
  forgetSubscriber,
  type ImportOutcome,
  importSubscribers,
} from '../../core/email/subscriber-admin.js';
import type { SubscribeQueue, SubscribeRequest } from '../../core/email/subscriptions.js';
import { DEV_ID_KEY } from '../../dev/email-path.js';
import { REGION, S3RVER_CREDENTIALS } from '../../dev/emulators.js';

/** dev:cloud's email table (`dev-cloud.ts`), named here so this tool does not load the dev server. */
export const DEV_EMAIL_TABLE = 'newsfeed-email';

const USAGE = `Usage: npm run subscribers -- import FILE.csv [--confirmed] [--dry-run] [--email-column NAME] TARGET
       npm run subscribers -- export [--output FILE] TARGET
       npm run subscribers -- forget ADDRESS [--dry-run] TARGET

TARGET is the deployed stack (AWS credentials and region from the environment):
  --table NAME            the stack output EmailTableName
  --id-key-secret ARN     the stack output SubscriberIdKeySecretArn
  --queue-url URL         the stack output SubscribeQueueUrl (import without --confirmed)
or a running dev:cloud:
  --dev-cloud URL         its DynamoDB endpoint, as dev:cloud prints it (http://127.0.0.1:PORT)
  --site URL              its site server (import without --confirmed), default http://127.0.0.1:8081/

import   reads a Mailchimp, Buttondown or listmonk export (or any CSV with an address column), skips
         bad rows (by line), duplicates and rows the source marks unsubscribed, and never touches an
         address already on the list (an unsubscribed or suppressed one stays so). --confirmed: you
         vouch for prior opt-in, they are confirmed now; otherwise each gets a confirmation mail
         through the normal, rate-limited subscribe path. --dry-run changes nothing.
export   writes address, state, confirmed time, consent source and time, suppression reason (CSV).
forget   erases the subscriber, leaving only a keyed-hash suppression entry: never mailed again.

Exit status: 0 when every row was imported or skipped as it should be, 1 when some rows were bad, 2 on a
fatal error.`;

type Values = {
  table?: string;
  'id-key-secret'?: string;
  'queue-url'?: string;
  'dev-cloud'?: string;
  site?: string;
  confirmed: boolean;
  'dry-run': boolean;
  'email-column'?: string;
  output?: string;
  help: boolean;
};

class CliError extends Error {
  override name = 'CliError';
}

/** dev:cloud's subscribe queue is in its own process: requests go through its `/api/subscribe`, as a browser's do. */
export class SiteSubscribeQueue implements SubscribeQueue {
  constructor(private readonly siteUrl: string) {}

  async enqueue(request: SubscribeRequest): Promise<void> {
    const response = await fetch(new URL('api/subscribe', this.siteUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: request.address }).toString(),
    });
    if (response.status === 429) {
      throw new Error(
        `the subscribe API limits requests from one source: retry after ${response.headers.get('retry-after')} s`,
      );
    }
    if (!response.ok) throw new Error(`the subscribe API answered ${response.status}`);
  }
}

interface Target {
  client: DynamoDBDocumentClient;
  table: string;
  idKey: SubscriberIdKeySource;
  queue?: SubscribeQueue;
}

function targetOf(values: Values): Target {
  if (values['dev-cloud']) {
    const client = createDocumentClient({
      region: REGION,
      credentials: S3RVER_CREDENTIALS,
      endpoints: { dynamodb: values['dev-cloud'] },
    });
    return {
      client,
      table: DEV_EMAIL_TABLE,
      idKey: idKeyFromText(DEV_ID_KEY, 'dev:cloud subscriber id key'),
      queue: new SiteSubscribeQueue(values.site ?? 'http://127.0.0.1:8081/'),
    };
  }
  if (!values.table || !values['id-key-secret']) {
    throw new CliError('give --table and --id-key-secret (the stack outputs), or --dev-cloud URL');
  }
  return {
    client: createDocumentClient(),
    table: values.table,
    idKey: new SecretsIdKey(createSecretsClient(), values['id-key-secret']),
    ...(values['queue-url'] && { queue: new SqsSubscribeQueue(createSqsClient(), values['queue-url']) }),
  };
}

const DONE: Record<ImportOutcome, string> = {
  confirmed: 'confirmed',
  'confirmation-queued': 'confirmation mail queued',
  'already-on-list': 'already on the list, left as it is',
  unsubscribed: 'unsubscribed here, not re-subscribed',
  suppressed: 'suppressed here, not re-subscribed',
};

async function runImport(
  file: string,
  values: Values,
  target: Target,
  log: (line: string) => void,
): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  let parsed: ReturnType<typeof parseImportCsv>;
  try {
    parsed = parseImportCsv(text, values['email-column'] ? { emailColumn: values['email-column'] } : {});
  } catch (error) {
    if (error instanceof ImportFileError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
  if (!values.confirmed && !values['dry-run'] && !target.queue) {
    throw new CliError(
      'without --confirmed the confirmation mails need --queue-url (the stack output SubscribeQueueUrl)',
    );
  }
  log(
    `${file}: ${parsed.source} export, addresses in column "${parsed.emailColumn}", ${parsed.rows.length} to import`,
  );
  for (const problem of parsed.invalid) log(`${file}:${problem.line}: skipped: ${problem.reason}`);
  for (const problem of parsed.duplicates)
    log(`${file}:${problem.line}: skipped duplicate: ${problem.reason}`);
  for (const problem of parsed.notSubscribed) log(`${file}:${problem.line}: skipped: ${problem.reason}`);
  let failed = 0;
  const results = await importSubscribers(
    {
      store: new DynamoSubscriberAdminStore(target.client, target.table),
      idKey: target.idKey,
      clock: systemClock(),
      ...(target.queue && { queue: target.queue }),
    },
    parsed.rows,
    {
      confirmed: values.confirmed,
      dryRun: values['dry-run'],
      source: `import:${parsed.source}:${basename(file)}`,
    },
    (row, error) => {
      failed += 1;
      log(`${file}:${row.line}: failed: ${row.address}: ${(error as Error).message}`);
    },
  );
  const counts = new Map<ImportOutcome, number>();
  for (const result of results) {
    counts.set(result.outcome, (counts.get(result.outcome) ?? 0) + 1);
    if (result.outcome !== 'confirmed' && result.outcome !== 'confirmation-queued') {
      log(`${file}:${result.line}: ${result.address}: ${DONE[result.outcome]}`);
    }
  }
  const summary = [...counts].map(([outcome, n]) => `${n} ${DONE[outcome]}`).join(', ') || 'nothing imported';
  log(
    `${values['dry-run'] ? 'dry run, nothing changed: would be ' : ''}${summary}; ${parsed.invalid.length} bad row(s), ${parsed.duplicates.length} duplicate(s), ${parsed.notSubscribed.length} unsubscribed at the source, ${failed} failed`,
  );
  return parsed.invalid.length + failed === 0 ? 0 : 1;
}

export async function main(argv: string[], log = (line: string) => console.log(line)): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        table: { type: 'string' },
        'id-key-secret': { type: 'string' },
        'queue-url': { type: 'string' },
        'dev-cloud': { type: 'string' },
        site: { type: 'string' },
        confirmed: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        'email-column': { type: 'string' },
        output: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: true,
    }) as { values: Values; positionals: string[] });
  } catch (error) {
    log(`error: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    log(USAGE);
    return 0;
  }
  const [command, operand, ...extra] = positionals;
  try {
    if (extra.length > 0) throw new CliError(`unexpected argument "${extra[0]}"`);
    const target = targetOf(values);
    if (command === 'import' && operand) return await runImport(operand, values, target, log);
    if (command === 'export' && operand === undefined) {
      const store = new DynamoSubscriberAdminStore(target.client, target.table);
      const out = values.output ? createWriteStream(values.output) : undefined;
      let rows = -1;
      for await (const line of exportCsv(store)) {
        rows += 1;
        if (out) out.write(`${line}\n`);
        else log(line);
      }
      if (out) {
        await new Promise<void>((done, fail) =>
          out.end((error?: Error | null) => (error ? fail(error) : done())),
        );
        log(`${rows} subscriber(s) written to ${values.output}`);
      }
      return 0;
    }
    if (command === 'forget' && operand) {
      const address = normalizeAddress(operand);
      if (!address.ok) throw new CliError(`"${operand}" is not an address: ${address.reason}`);
      const store = new DynamoSubscriberAdminStore(target.client, target.table);
      const { id, outcome } = await forgetSubscriber(
        { store, idKey: target.idKey, clock: systemClock() },
        address.address,
        values['dry-run'],
      );
      const said = {
        forgotten: 'erased; only the suppression entry remains',
        blocked: 'was not on the list; a suppression entry now keeps it off',
        'already-forgotten': 'was erased before',
        'would-forget': 'would be erased (dry run)',
        'would-block': 'is not on the list; would get a suppression entry (dry run)',
      }[outcome];
      log(`${address.address} (id ${id}): ${said}`);
      return 0;
    }
    throw new CliError(`expected import FILE.csv, export, or forget ADDRESS`);
  } catch (error) {
    if (error instanceof CliError) {
      log(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

/** `npm run subscribers` (through `cli/main.ts`): an unexpected failure is one line and exit status 2. */
export async function run(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (error) {
    console.error(`error: subscribers failed: ${(error as Error).message}`);
    return 2;
  }
}
