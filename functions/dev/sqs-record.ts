/** The SQS record Lambda's event source mapping would deliver, for the in-process queues of `npm run dev:cloud`. */
import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import { REGION } from './emulators.js';

export function sqsRecord(body: string, queueName: string, receiveCount = 1): SQSRecord {
  const id = randomUUID();
  const now = String(Date.now());
  return {
    messageId: id,
    receiptHandle: id,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: now,
      SenderId: 'dev-cloud',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${REGION}:000000000000:${queueName}`,
    awsRegion: REGION,
  };
}
