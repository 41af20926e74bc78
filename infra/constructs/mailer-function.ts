import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { EmailTable } from './email-table.js';
import type { MailSending } from './mail-sending.js';
import type { TokenKeyring } from './token-keyring.js';

/** What every function that mails subscribers needs: the confirmation mailer and the sender. */
export interface MailerProps {
  table: EmailTable;
  keyring: TokenKeyring;
  sending: MailSending;
  /** The sender's address and display name. */
  from: { address: string; name: string };
  siteConfigJson: string;
  listId: string;
}

/** The environment the mailers' composition roots read (`functions/compose/email.ts`). */
export function mailerEnvironment(props: MailerProps) {
  return {
    EMAIL_TABLE: props.table.tableName,
    TOKEN_SECRET_ARN: props.keyring.secret.secretArn,
    LIST_ID: props.listId,
    FROM_ADDRESS: props.from.address,
    FROM_NAME: props.from.name,
    CONFIGURATION_SET: props.sending.configurationSet.configurationSetName,
    SITE_CONFIG: props.siteConfigJson,
  };
}

/** Subscriber items (profiles, counters, the ledger), the token keyring, and sending as the identity. */
export function grantMailer(fn: IFunction, props: MailerProps): void {
  props.table.grantItemReadWrite(fn);
  props.keyring.grantRead(fn);
  props.sending.grantSend(fn);
}
