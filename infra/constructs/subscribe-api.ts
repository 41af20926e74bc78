import { Duration, Validations } from 'aws-cdk-lib';
import type { IOrigin } from 'aws-cdk-lib/aws-cloudfront';
import { FunctionUrlOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { type FunctionUrl, FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { envFor, FUNCTIONS } from '../../functions/handlers/contracts.js';
import { CONFIRM_BATCHING_WINDOW, CONFIRM_MAILER_TIMEOUT } from './confirmation-mailer.js';
import type { EmailTable } from './email-table.js';
import { type FailureQueue, workQueue } from './failure-queue.js';
import { ORIGIN_HEADER_NAME, type OriginSecret } from './origin-secret.js';
import { ProjectFunction } from './project-function.js';
import type { TokenKeyring } from './token-keyring.js';

export const SUBSCRIBE_API_TIMEOUT = Duration.seconds(10);
/** Receives before a confirmation request is parked: SES throttling passes, a poison message surfaces. */
export const SUBSCRIBE_MAX_RECEIVE_COUNT = 5;

export interface SubscribeApiProps {
  table: EmailTable;
  keyring: TokenKeyring;
  /** CloudFront sends value `h<originHeaderVersion>` of it; the function accepts every value it holds. */
  originSecret: OriginSecret;
  originHeaderVersion: number;
  alarmTopic: ITopic;
  /** JSON of the `SiteConfig`; see `siteUrlKnown`. */
  siteConfigJson: string;
  /**
   * False when the site is only reachable at the CloudFront domain: the distribution routes
   * `/api/*` to this function, so the function cannot also be given the distribution's domain
   * (CloudFormation would see a cycle). Its pages, served from the site's own origin under `/api/`,
   * then link the site root-relative (`SITE_LINKS=root-relative`).
   */
  siteUrlKnown: boolean;
  listId: string;
  subscribesPerSourcePerHour: number;
}

/**
 * The subscribe API (form posts, confirm links, one-click unsubscribe) as a Lambda function URL
 * served by the site's CloudFront distribution under `/api/*`, and the queue it hands
 * confirmation requests to: the API answers at once and the same way for every address, and the
 * mail goes out from the queue's consumer.
 */
export class SubscribeApi extends Construct {
  readonly function: ProjectFunction;
  readonly url: FunctionUrl;
  /**
   * For `StaticSite`: the function URL, over HTTPS, with a read timeout suited to the API and the
   * secret origin header without which the function answers 403.
   */
  readonly origin: IOrigin;
  /** Confirmation requests (`{"subscriberId", ...}` as the handler writes them). */
  readonly queue: Queue;
  readonly deadLetters: FailureQueue;

  constructor(scope: Construct, id: string, props: SubscribeApiProps) {
    super(scope, id);
    ({ queue: this.queue, deadLetters: this.deadLetters } = workQueue(this, {
      id: 'Queue',
      holds: 'Confirmation requests',
      alarmTopic: props.alarmTopic,
      maxReceiveCount: SUBSCRIBE_MAX_RECEIVE_COUNT,
      consumerTimeout: CONFIRM_MAILER_TIMEOUT,
      batchingWindow: CONFIRM_BATCHING_WINDOW,
    }));

    this.function = new ProjectFunction(this, 'Handler', {
      contract: FUNCTIONS.subscribeApi,
      description: 'Subscribe form, confirm links and one-click unsubscribe (behind CloudFront at /api/*)',
      timeout: SUBSCRIBE_API_TIMEOUT,
      memorySize: 512,
      environment: envFor(FUNCTIONS.subscribeApi, {
        EMAIL_TABLE: props.table.tableName,
        SUBSCRIBE_QUEUE_URL: this.queue.queueUrl,
        TOKEN_SECRET_ARN: props.keyring.secret.secretArn,
        ORIGIN_SECRET_ARN: props.originSecret.secret.secretArn,
        LIST_ID: props.listId,
        SITE_CONFIG: props.siteConfigJson,
        SUBSCRIBES_PER_SOURCE_PER_HOUR: String(props.subscribesPerSourcePerHour),
        ...(!props.siteUrlKnown && { SITE_LINKS: 'root-relative' }),
      }),
    });
    // No IAM auth: the site's form and mail clients' one-click POST (RFC 8058) carry no credentials,
    // and CloudFront origin access control for a function URL needs the viewer to send the body's
    // SHA-256 (x-amz-content-sha256) with every POST, which neither a form nor a mail client does. So
    // the URL is public, and the function refuses (403, no work done) every request without the secret
    // header CloudFront adds here; only then does it trust CloudFront-Viewer-Address for its limits.
    this.url = this.function.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    this.origin = new FunctionUrlOrigin(this.url, {
      readTimeout: SUBSCRIBE_API_TIMEOUT,
      customHeaders: { [ORIGIN_HEADER_NAME]: props.originSecret.headerValue(props.originHeaderVersion) },
    });

    props.table.grantItemReadWrite(this.function);
    this.queue.grantSendMessages(this.function);
    props.keyring.grantRead(this.function);
    props.originSecret.grantRead(this.function);

    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked only synchronously, through its function URL: the caller receives the error, so there is no ' +
        'asynchronous event a dead-letter queue could keep.',
    });
  }
}
