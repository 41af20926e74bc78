/**
 * Local emulators for the cloud adapters' tests. The start-up code lives in `functions/dev/emulators.ts`
 * (shared with `npm run dev:cloud`); this re-exports it under the names the tests use.
 */
import type { StoredMail } from '../../functions/dev/emulators.js';

export {
  BY_CONFIRMED_INDEX,
  createEmailTable,
  createStoryTable,
  type DynamoEmulator,
  emulatorClients as testClients,
  REGION,
  type S3Emulator,
  type S3EventRecord,
  S3RVER_CREDENTIALS,
  type SesEmulator,
  type StoredMail,
  s3MessageBody,
  startDynamo,
  startS3,
  startSes,
} from '../../functions/dev/emulators.js';

/** The mails in an SES emulator's store (`ses.store()`) addressed to `address`. */
export const mailsTo = (store: StoredMail[], address: string): StoredMail[] =>
  store.filter((mail) => mail.destination.to.includes(address));
