import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EmailTable } from './email-table.js';
import type { MailSending } from './mail-sending.js';
import { acknowledgeSqsConsumer } from './nag-acknowledgements.js';
import { ProjectFunction } from './project-function.js';
import { CONFIRM_BATCHING_WINDOW, CONFIRM_MAILER_TIMEOUT } from './subscribe-api.js';
import { COPY_TEMPLATES, TEMPLATES_DIR } from './templates-bundle.js';
import type { TokenKeyring } from './token-keyring.js';

/** Confirmations are rare: small batches, two at a time, leave SES's send rate to the editions. */
export const CONFIRM_BATCH_SIZE = 5;

export interface ConfirmationMailerProps {
  /** The subscribe API's queue of confirmation requests. */
  queue: IQueue;
  table: EmailTable;
  keyring: TokenKeyring;
  sending: MailSending;
  /** The sender's address and display name. */
  from: { address: string; name: string };
  siteConfigJson: string;
  listId: string;
  confirmationsPerAddressPerDay: number;
}

/** Subscribe queue → confirmation mail with a signed link (its own MJML template). */
export class ConfirmationMailer extends Construct {
  readonly function: ProjectFunction;

  constructor(scope: Construct, id: string, props: ConfirmationMailerProps) {
    super(scope, id);
    this.function = new ProjectFunction(this, 'Handler', {
      entry: 'functions/handlers/confirm-mailer.ts',
      serviceName: 'newsfeed-confirm-mailer',
      description: 'Sends double opt-in confirmation mails from the subscribe queue',
      timeout: CONFIRM_MAILER_TIMEOUT,
      memorySize: 1024,
      environment: {
        EMAIL_TABLE: props.table.tableName,
        TOKEN_SECRET_ARN: props.keyring.secret.secretArn,
        LIST_ID: props.listId,
        FROM_ADDRESS: props.from.address,
        FROM_NAME: props.from.name,
        CONFIGURATION_SET: props.sending.configurationSet.configurationSetName,
        SITE_CONFIG: props.siteConfigJson,
        TEMPLATES_DIR,
        CONFIRMATIONS_PER_ADDRESS_PER_DAY: String(props.confirmationsPerAddressPerDay),
      },
      commandHooks: COPY_TEMPLATES,
    });
    this.function.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: CONFIRM_BATCH_SIZE,
        maxBatchingWindow: CONFIRM_BATCHING_WINDOW,
        reportBatchItemFailures: true,
        maxConcurrency: 2,
      }),
    );
    props.table.grantItemReadWrite(this.function);
    props.keyring.grantRead(this.function);
    props.sending.grantSend(this.function);

    acknowledgeSqsConsumer(this.function, 'subscribe queue');
  }
}
