/**
 * s3rver and dynalite for one test file, with its articles bucket: started before its tests and
 * closed after them. `world.s3` (for its event records) and `world.clients` are set once started.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import type { AwsClients } from '../../functions/adapters/aws/clients.js';
import { type DynamoEmulator, type S3Emulator, startDynamo, startS3, testClients } from './emulators.js';

export interface StoryEmulators {
  s3: S3Emulator;
  dynamo: DynamoEmulator;
  clients: AwsClients;
}

export function useStoryEmulators(articlesBucket: string): StoryEmulators {
  const world = {} as StoryEmulators;
  beforeAll(async () => {
    [world.s3, world.dynamo] = await Promise.all([startS3(), startDynamo()]);
    world.clients = testClients(world.s3.endpoint, world.dynamo.endpoint);
    await world.clients.s3.send(new CreateBucketCommand({ Bucket: articlesBucket }));
  });
  afterAll(async () => {
    await Promise.all([world.s3?.close(), world.dynamo?.close()]);
  });
  return world;
}
