/**
 * The one place AWS SDK clients are created (Powertools' shared-clients pattern): handlers build them
 * once per cold start and pass them into the adapters, and tests build them pointed at emulators.
 * Region, credentials and `AWS_ENDPOINT_URL_<SERVICE>` come from the environment through the SDK's
 * own resolution unless overridden here.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
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
  endpoints?: { s3?: string; dynamodb?: string; sqs?: string; cloudfront?: string };
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Path-style bucket addressing, which emulators need (they are not reachable as `<bucket>.host`). */
  forcePathStyle?: boolean;
}

export function createAwsClients(overrides: AwsClientOverrides = {}): AwsClients {
  const { region, credentials, endpoints = {} } = overrides;
  const common = { ...(region ? { region } : {}), ...(credentials ? { credentials } : {}) };
  const at = (endpoint: string | undefined) => (endpoint ? { endpoint } : {});

  const s3 = new S3Client({
    ...common,
    ...at(endpoints.s3),
    ...(overrides.forcePathStyle !== undefined ? { forcePathStyle: overrides.forcePathStyle } : {}),
    // Emulators predate the SDK's default CRC32 trailers: with them, s3rver stores the chunk-encoded
    // stream as the object. Real S3 keeps the default (checksums on every request); an emulator set
    // through AWS_ENDPOINT_URL_S3 needs AWS_REQUEST_CHECKSUM_CALCULATION=WHEN_REQUIRED as well.
    ...(endpoints.s3
      ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
  });
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ ...common, ...at(endpoints.dynamodb) }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const sqs = new SQSClient({ ...common, ...at(endpoints.sqs) });
  const cloudfront = new CloudFrontClient({ ...common, ...at(endpoints.cloudfront) });
  return { s3, dynamo, sqs, cloudfront };
}
