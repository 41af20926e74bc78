import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { type ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { envFor, FUNCTIONS } from '../../functions/handlers/contracts.js';
import type { EmailTable } from './email-table.js';
import { FailureQueue } from './failure-queue.js';
import { ProjectFunction } from './project-function.js';
import type { SubscriberIdKey } from './subscriber-id-key.js';

export interface BounceHandlingProps {
  configurationSet: ConfigurationSet;
  table: EmailTable;
  /** Events name addresses: the profile is found by the keyed id of each. */
  idKey: SubscriberIdKey;
  alarmTopic: ITopic;
}

/**
 * SES bounce and complaint events → an encrypted SNS topic → the bounce function, which
 * suppresses the subscriber at once on a permanent bounce or a complaint and counts transient
 * bounces. Events hold recipients' addresses, so the topic is encrypted with a key of its own
 * (SES cannot publish to a topic encrypted with the AWS-managed SNS key).
 */
export class BounceHandling extends Construct {
  readonly key: Key;
  readonly topic: Topic;
  readonly function: ProjectFunction;
  /** Notifications SNS could not deliver, and invocations that failed every retry. */
  readonly failures: FailureQueue;

  constructor(scope: Construct, id: string, props: BounceHandlingProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'Encrypts the SES bounce and complaint notifications topic',
      enableKeyRotation: true,
      // Only messages in flight are encrypted with it; nothing at rest outlives the topic.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'SesPublishesToTheEncryptedTopic',
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Newsfeed SES bounces and complaints',
      masterKey: this.key,
      enforceSSL: true,
    });
    // Also adds the topic policy that lets SES publish for this configuration set only.
    props.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(this.topic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    this.failures = new FailureQueue(this, 'Failures', {
      holds: 'Bounce and complaint notifications that could not be applied',
      alarmTopic: props.alarmTopic,
      isRedriveTarget: false,
    });
    this.function = new ProjectFunction(this, 'Handler', {
      contract: FUNCTIONS.bounces,
      description: 'Suppresses subscribers on permanent bounces and complaints, counts transient bounces',
      timeout: Duration.seconds(30),
      memorySize: 256,
      onFailure: new SqsDestination(this.failures.queue),
      environment: envFor(FUNCTIONS.bounces, {
        EMAIL_TABLE: props.table.tableName,
        ID_KEY_SECRET_ARN: props.idKey.secret.secretArn,
      }),
    });
    this.topic.addSubscription(
      new LambdaSubscription(this.function, { deadLetterQueue: this.failures.queue }),
    );
    props.table.grantItemReadWrite(this.function);
    props.idKey.grantRead(this.function);

    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Failed asynchronous invocations go to an on-failure destination (the successor of function DLQs, which ' +
        'also records the error); the SNS subscription has a dead-letter queue for undeliverable notifications.',
    });
  }
}
