/**
 * `npm run migrate:subscriber-ids`: the one-off move of an email table made before subscriber ids were
 * keyed (README, "Keyed subscriber ids"). Thin: parse arguments, read the id key from its secret, run
 * `migrateSubscriberIds`, print the report. AWS credentials and region come from the environment.
 */
import { parseArgs } from 'node:util';
import { createDocumentClient, createSecretsClient } from '../../adapters/aws/clients.js';
import { SecretsIdKey } from '../../adapters/aws/secrets.js';
import { migrateSubscriberIds } from '../../adapters/aws/subscriber-id-migration.js';

const USAGE = `Usage: npm run migrate:subscriber-ids -- --table EMAIL_TABLE --id-key-secret SECRET_ARN

Moves every subscriber profile stored under an unkeyed id (versions before keyed ids) to the keyed id
of its address, and records each move so that links in mails already sent keep working. Safe to run
again. Run it once after deploying the version with keyed ids, between two editions.

  --table NAME          the stack output EmailTableName
  --id-key-secret ARN   the stack output SubscriberIdKeySecretArn
  -h, --help            show this help

Exit status: 0 when every profile is under its keyed id, 1 when some were left in place (listed), 2 on a
fatal error.`;

export async function main(argv: string[], log = (line: string) => console.log(line)): Promise<number> {
  let values: { table?: string; 'id-key-secret'?: string; help: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        table: { type: 'string' },
        'id-key-secret': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    log(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    log(USAGE);
    return 0;
  }
  const table = values.table;
  const secret = values['id-key-secret'];
  if (!table || !secret) {
    log(USAGE);
    return 2;
  }
  const idKey = await new SecretsIdKey(createSecretsClient(), secret).idKey();
  const report = await migrateSubscriberIds(createDocumentClient(), table, idKey, log);
  log(
    `${report.profiles} profile(s): ${report.moved} moved, ${report.keyed} already keyed, ` +
      `${report.conflicts.length} conflict(s), ${report.invalid.length} with an invalid address`,
  );
  for (const id of report.conflicts) log(`conflict, left in place: SUB#${id}`);
  for (const id of report.invalid) log(`invalid address, left in place: SUB#${id}`);
  return report.conflicts.length + report.invalid.length === 0 ? 0 : 1;
}

/** As `npm run migrate:subscriber-ids` runs it: a failure is its stack and exit status 2. */
export async function run(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (error) {
    console.error(`migrate:subscriber-ids failed: ${(error as Error).stack ?? String(error)}`);
    return 2;
  }
}
