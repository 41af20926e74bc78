/** The queue between the subscribe API and the confirm mailer, over SQS (SUBSCRIBE_QUEUE_URL). */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SubscribeQueue, SubscribeRequest } from '../../core/email/subscriptions.js';

export class SqsSubscribeQueue implements SubscribeQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(request: SubscribeRequest): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify({
          kind: request.kind,
          address: request.address,
          requestedAt: request.requestedAt,
        }),
      }),
    );
  }
}
