/**
 * What the Lambda bundles use in place of `@aws-sdk/credential-provider-node` (an esbuild alias in
 * `infra/lambda-bundle.ts`): the credentials of the function's execution role, which Lambda always
 * puts in the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`).
 *
 * The SDK's default chain also tries SSO, shared ini files, credential processes, web identity tokens
 * and the instance metadata service, none of which a Lambda function has; bundling them (with the STS,
 * SSO and sign-in clients they bring) cost every function 109 KiB. Tests and the local tools run the
 * source, which keeps the default chain (`dev:cloud` passes the emulators' credentials explicitly).
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** What the two checks read of a credential. */
interface Expiring {
  expiration?: Date;
}

/** The same names `@aws-sdk/credential-provider-node` exports, as the clients' runtime config imports them. */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);

export const credentialsWillNeedRefresh = (credentials?: Expiring): boolean =>
  credentials?.expiration !== undefined;

/** As the SDK's: credentials within five minutes of expiring are treated as expired. */
export const credentialsTreatedAsExpired = (credentials?: Expiring): boolean =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
