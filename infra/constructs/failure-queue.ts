import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface FailureQueueProps {
  /** What ends up in the queue, for the alarm description. */
  holds: string;
  alarmTopic: ITopic;
  /**
   * True when the queue is another queue's redrive target; false when it is a Lambda
   * destination or an EventBridge dead-letter target, which cdk-nag cannot recognise as a DLQ.
   */
  isRedriveTarget: boolean;
}

/**
 * A queue for messages that failed every retry, with an alarm as soon as one arrives:
 * a failed article or publish is a problem an operator must see, not a metric to trend.
 */
export class FailureQueue extends Construct {
  readonly queue: Queue;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: FailureQueueProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The maximum: failures are inspected by hand, possibly after a weekend.
      retentionPeriod: Duration.days(14),
    });
    this.alarm = new Alarm(this, 'NotEmpty', {
      alarmDescription: `${props.holds} are waiting in ${this.node.path}`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new SnsAction(props.alarmTopic));

    const reason =
      'This queue is itself the dead-letter destination of failed work; a redrive from it would discard failures.';
    Validations.of(this.queue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason });
    if (!props.isRedriveTarget) Validations.of(this.queue).acknowledge({ id: 'AwsSolutions-SQS3', reason });
  }
}

export interface WorkQueueProps {
  /** Construct id of the work queue in `scope` (the dead-letter queue is `DeadLetters`). */
  id: string;
  /** What a dead letter is, for the alarm, e.g. "Article events". */
  holds: string;
  alarmTopic: ITopic;
  maxReceiveCount: number;
  /** The consuming function's timeout and its mapping's batching window. */
  consumerTimeout: Duration;
  batchingWindow?: Duration;
}

/**
 * A queue consumed by a Lambda event source mapping, with its dead-letter queue (and alarm) in
 * `scope`. Visibility follows AWS's rule for SQS event sources: at least 6 × the function timeout
 * plus the batching window, so a message is not redelivered while a retried invocation holds it.
 */
export function workQueue(
  scope: Construct,
  props: WorkQueueProps,
): { queue: Queue; deadLetters: FailureQueue } {
  const deadLetters = new FailureQueue(scope, 'DeadLetters', {
    holds: `${props.holds} that failed ${props.maxReceiveCount} times`,
    alarmTopic: props.alarmTopic,
    isRedriveTarget: true,
  });
  const queue = new Queue(scope, props.id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(
      6 * props.consumerTimeout.toSeconds() + (props.batchingWindow?.toSeconds() ?? 0),
    ),
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: deadLetters.queue, maxReceiveCount: props.maxReceiveCount },
  });
  return { queue, deadLetters };
}
