/**
 * The one place AWS SDK clients are created (Powertools' shared-clients pattern): handlers build them
 * once per cold start and pass them into the adapters, and tests build them pointed at emulators.
 * Region, credentials and `AWS_ENDPOINT_URL_<SERVICE>` come from the environment through the SDK's
 * own resolution unless overridden here.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface AwsClients {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  sqs: SQSClient;
  cloudfront: CloudFrontClient;
}

export interface AwsClientOverrides {
  region?: string;
  endpoints?: {
    s3?: string;
    dynamodb?: string;
    sqs?: string;
    cloudfront?: string;
    ses?: string;
    secretsmanager?: string;
  };
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Path-style bucket addressing, which emulators need (they are not reachable as `<bucket>.host`). */
  forcePathStyle?: boolean;
}

const common = (overrides: AwsClientOverrides) => ({
  ...(overrides.region ? { region: overrides.region } : {}),
  ...(overrides.credentials ? { credentials: overrides.credentials } : {}),
});
const at = (endpoint: string | undefined) => (endpoint ? { endpoint } : {});

/** One factory per service, so a bundle carries only the SDK clients its function uses. */
export function createS3Client(overrides: AwsClientOverrides = {}): S3Client {
  const endpoint = overrides.endpoints?.s3;
  return new S3Client({
    ...common(overrides),
    ...at(endpoint),
    ...(overrides.forcePathStyle !== undefined ? { forcePathStyle: overrides.forcePathStyle } : {}),
    // Emulators predate the SDK's default CRC32 trailers: with them, s3rver stores the chunk-encoded
    // stream as the object. Real S3 keeps the default (checksums on every request); an emulator set
    // through AWS_ENDPOINT_URL_S3 needs AWS_REQUEST_CHECKSUM_CALCULATION=WHEN_REQUIRED as well.
    ...(endpoint
      ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
  });
}

export function createDocumentClient(overrides: AwsClientOverrides = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...common(overrides), ...at(overrides.endpoints?.dynamodb) }),
    {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    },
  );
}

export function createSqsClient(overrides: AwsClientOverrides = {}): SQSClient {
  return new SQSClient({ ...common(overrides), ...at(overrides.endpoints?.sqs) });
}

export function createCloudFrontClient(overrides: AwsClientOverrides = {}): CloudFrontClient {
  return new CloudFrontClient({ ...common(overrides), ...at(overrides.endpoints?.cloudfront) });
}

export function createSesClient(overrides: AwsClientOverrides = {}): SESv2Client {
  // The SDK's own retries would hide throttling from the sender's token bucket and ledger, which
  // decide themselves when to retry: one attempt per call.
  return new SESv2Client({ ...common(overrides), ...at(overrides.endpoints?.ses), maxAttempts: 1 });
}

export function createSecretsClient(overrides: AwsClientOverrides = {}): SecretsManagerClient {
  return new SecretsManagerClient({ ...common(overrides), ...at(overrides.endpoints?.secretsmanager) });
}

export function createAwsClients(overrides: AwsClientOverrides = {}): AwsClients {
  return {
    s3: createS3Client(overrides),
    dynamo: createDocumentClient(overrides),
    sqs: createSqsClient(overrides),
    cloudfront: createCloudFrontClient(overrides),
  };
}
