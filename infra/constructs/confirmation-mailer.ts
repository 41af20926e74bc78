import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { envFor, FUNCTIONS } from '../../functions/handlers/contracts.js';
import { grantMailer, type MailerProps, mailerEnvironment } from './mailer-function.js';
import { acknowledgeSqsConsumer } from './nag-acknowledgements.js';
import { ProjectFunction } from './project-function.js';
import type { SubscriberIdKey } from './subscriber-id-key.js';
import { BUILD_TEMPLATES, TEMPLATES_DIR } from './templates-bundle.js';

/** The consumer's timeout and batching window; the subscribe queue's visibility follows from them. */
export const CONFIRM_MAILER_TIMEOUT = Duration.seconds(30);
export const CONFIRM_BATCHING_WINDOW = Duration.seconds(1);

/** Confirmations are rare: small batches, two at a time, leave SES's send rate to the editions. */
export const CONFIRM_BATCH_SIZE = 5;

export interface ConfirmationMailerProps extends MailerProps {
  /** The subscribe API's queue of confirmation requests. */
  queue: IQueue;
  /** The confirm mailer finds a profile by the keyed id of the address it is asked to mail. */
  idKey: SubscriberIdKey;
  confirmationsPerAddressPerDay: number;
}

/** Subscribe queue → confirmation mail with a signed link (its own MJML template). */
export class ConfirmationMailer extends Construct {
  readonly function: ProjectFunction;

  constructor(scope: Construct, id: string, props: ConfirmationMailerProps) {
    super(scope, id);
    this.function = new ProjectFunction(this, 'Handler', {
      contract: FUNCTIONS.confirmMailer,
      description: 'Sends double opt-in confirmation mails from the subscribe queue',
      timeout: CONFIRM_MAILER_TIMEOUT,
      memorySize: 1024,
      environment: envFor(FUNCTIONS.confirmMailer, {
        ...mailerEnvironment(props),
        TEMPLATES_DIR,
        ID_KEY_SECRET_ARN: props.idKey.secret.secretArn,
        CONFIRMATIONS_PER_ADDRESS_PER_DAY: String(props.confirmationsPerAddressPerDay),
      }),
      commandHooks: BUILD_TEMPLATES,
    });
    this.function.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: CONFIRM_BATCH_SIZE,
        maxBatchingWindow: CONFIRM_BATCHING_WINDOW,
        reportBatchItemFailures: true,
        maxConcurrency: 2,
      }),
    );
    grantMailer(this.function, props);
    props.idKey.grantRead(this.function);

    acknowledgeSqsConsumer(this.function, 'subscribe queue');
  }
}
