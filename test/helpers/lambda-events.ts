/**
 * Lambda events as the services deliver them, for tests that call a handler directly (SQS and SNS
 * have no emulator here). Every field is filled, without casts, so a handler reading any of them sees
 * what Lambda would give it.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, SNSEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { fromCloudFront } from './email-fakes.js';
import { REGION } from './emulators.js';

export function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'AIDA',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${REGION}:111122223333:queue`,
    awsRegion: REGION,
  };
}

/** One batch; the message ids are `msg-<index>`, so a test can name the one it expects to fail. */
export function sqsEvent(bodies: readonly string[]): SQSEvent {
  return { Records: bodies.map((body, i) => sqsRecord(`msg-${i}`, body)) };
}

export interface FunctionUrlRequest {
  headers?: Record<string, string>;
  body?: string;
  /** Lambda base64-encodes form bodies. @default true */
  base64?: boolean;
  /** The peer address (CloudFront's, behind a distribution). @default '130.176.1.1' */
  sourceIp?: string;
}

/** A Function URL event (payload 2.0) as Lambda builds it; called directly, as anyone may (see `viaCloudFront`). */
export function functionUrlEvent(
  method: string,
  pathAndQuery: string,
  options: FunctionUrlRequest = {},
): APIGatewayProxyEventV2 {
  const [rawPath, rawQueryString = ''] = pathAndQuery.split('?') as [string, string?];
  const base64 = options.base64 ?? true;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: options.headers ?? {},
    requestContext: {
      accountId: 'anonymous',
      apiId: 'url-id',
      domainName: 'url-id.lambda-url.us-east-1.on.aws',
      domainPrefix: 'url-id',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: options.sourceIp ?? '130.176.1.1',
        userAgent: 'Amazon CloudFront',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: '25/Nov/2026:07:30:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: options.body !== undefined && base64,
    ...(options.body === undefined
      ? {}
      : { body: base64 ? Buffer.from(options.body, 'utf8').toString('base64') : options.body }),
  };
}

/**
 * A Function URL event as CloudFront forwards a viewer's request: with the secret origin header of the
 * tests (`ORIGIN_VALUE`) and the viewer address CloudFront sets, from one of its edge addresses.
 */
export function viaCloudFront(
  method: string,
  pathAndQuery: string,
  options: FunctionUrlRequest & { viewer?: string } = {},
): APIGatewayProxyEventV2 {
  const { viewer = '198.51.100.7:50000', ...rest } = options;
  return functionUrlEvent(method, pathAndQuery, {
    ...rest,
    headers: { ...rest.headers, ...fromCloudFront, 'cloudfront-viewer-address': viewer },
  });
}

/** One SNS delivery carrying these messages; their ids are `sns-<index>`. */
export function snsEvent(messages: readonly string[]): SNSEvent {
  return {
    Records: messages.map((Message, i) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: `arn:aws:sns:${REGION}:111122223333:ses-events:sub`,
      Sns: {
        Type: 'Notification',
        MessageId: `sns-${i}`,
        TopicArn: `arn:aws:sns:${REGION}:111122223333:ses-events`,
        Subject: '',
        Message,
        Timestamp: '2026-11-25T07:01:00.000Z',
        SignatureVersion: '1',
        Signature: '',
        SigningCertUrl: '',
        UnsubscribeUrl: '',
        MessageAttributes: {},
      },
    })),
  };
}
