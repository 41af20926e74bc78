/**
 * The SQS adapter of the subscribe queue. SQS has no emulator here, so aws-sdk-client-mock checks the
 * request the SDK would send and that a service error reaches the caller (the API then answers 503).
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsSubscribeQueue } from '../../functions/adapters/aws/sqs-subscribe-queue.js';
import { parseSubscribeMessage } from '../../functions/core/email/subscribe-mailer.js';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/newsfeed-subscribe';
const sqs = mockClient(SQSClient);

afterEach(() => sqs.reset());

describe('SqsSubscribeQueue', () => {
  it('sends one message per request, with a body the confirm mailer parses back to the same request', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const request = {
      kind: 'subscribe' as const,
      address: 'Reader@example.org',
      requestedAt: '2026-11-25T07:30:00.000Z',
    };
    await new SqsSubscribeQueue(new SQSClient({ region: 'eu-west-1' }), QUEUE_URL).enqueue(request);
    const calls = sqs.commandCalls(SendMessageCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input.QueueUrl).toBe(QUEUE_URL);
    expect(parseSubscribeMessage(input.MessageBody!)).toEqual(request);
  });

  it('lets an SQS failure reach the caller', async () => {
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('queue gone'), { name: 'QueueDoesNotExist' }));
    const queue = new SqsSubscribeQueue(new SQSClient({ region: 'eu-west-1' }), QUEUE_URL);
    await expect(
      queue.enqueue({ kind: 'subscribe', address: 'a@example.org', requestedAt: '2026-11-25T07:30:00.000Z' }),
    ).rejects.toThrow('queue gone');
  });
});
