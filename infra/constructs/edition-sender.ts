import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { envFor, FUNCTIONS } from '../../functions/handlers/contracts.js';
import { type FailureQueue, workQueue } from './failure-queue.js';
import { grantMailer, type MailerProps, mailerEnvironment } from './mailer-function.js';
import { acknowledgeSqsConsumer } from './nag-acknowledgements.js';
import { ProjectFunction } from './project-function.js';

/**
 * One outbox message holds at most 50 recipients; at the SES sandbox rate (1 message/s) shared by
 * two senders that is 100 s, plus backoff on throttling: 5 minutes leave room for both.
 */
export const SENDER_TIMEOUT = Duration.minutes(5);
/**
 * Receives before a chunk is parked. Generous: the send ledger makes a redelivered chunk harmless
 * (each subscriber is claimed once), and with `sendConcurrency` 1 a throttled invocation costs a receive.
 */
export const OUTBOX_MAX_RECEIVE_COUNT = 10;
/** SQS event source mappings accept no lower `maxConcurrency`. */
const MIN_MAPPING_CONCURRENCY = 2;

export interface EditionSenderProps extends MailerProps {
  /** Concurrent sender invocations; each paces itself at `MaxSendRate / sendConcurrency`. */
  sendConcurrency: number;
  alarmTopic: ITopic;
}

/**
 * Outbox queue → sender: one chunk of recipients per invocation (batch size 1, so a failed chunk
 * is retried alone), concurrency capped so that the senders together stay under the account's
 * SES `MaxSendRate`, each send claimed in the ledger before it leaves.
 */
export class EditionSender extends Construct {
  readonly outbox: Queue;
  readonly deadLetters: FailureQueue;
  readonly function: ProjectFunction;

  constructor(scope: Construct, id: string, props: EditionSenderProps) {
    super(scope, id);
    ({ queue: this.outbox, deadLetters: this.deadLetters } = workQueue(this, {
      id: 'Outbox',
      holds: 'Edition recipient chunks',
      alarmTopic: props.alarmTopic,
      maxReceiveCount: OUTBOX_MAX_RECEIVE_COUNT,
      consumerTimeout: SENDER_TIMEOUT,
    }));

    // A mapping cannot go below 2 concurrent invocations, so a concurrency of 1 is enforced by
    // reserving exactly 1 (the second poller's invocation is throttled and its chunk comes back).
    const serial = props.sendConcurrency < MIN_MAPPING_CONCURRENCY;
    this.function = new ProjectFunction(this, 'Handler', {
      contract: FUNCTIONS.sender,
      description: 'Sends one chunk of an edition to its recipients through SES, at most once each',
      timeout: SENDER_TIMEOUT,
      memorySize: 512,
      ...(serial && { reservedConcurrentExecutions: 1 }),
      environment: envFor(FUNCTIONS.sender, {
        ...mailerEnvironment(props),
        SEND_CONCURRENCY: String(props.sendConcurrency),
      }),
    });
    this.function.addEventSource(
      new SqsEventSource(this.outbox, {
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: Math.max(props.sendConcurrency, MIN_MAPPING_CONCURRENCY),
      }),
    );
    grantMailer(this.function, props);

    acknowledgeSqsConsumer(this.function, 'outbox');
  }
}
