/**
 * Local emulators for the cloud adapters' tests. The start-up code lives in `functions/dev/emulators.ts`
 * (shared with `npm run dev:cloud`); this re-exports it under the names the tests use.
 */
export {
  createStoryTable,
  type DynamoEmulator,
  emulatorClients as testClients,
  REGION,
  type S3Emulator,
  type S3EventRecord,
  S3RVER_CREDENTIALS,
  s3MessageBody,
  startDynamo,
  startS3,
} from '../../functions/dev/emulators.js';
