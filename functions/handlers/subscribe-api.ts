/**
 * Lambda Function URL (payload 2.0), behind CloudFront at `/api/*` → the subscribe API. Thin: turn the
 * event into a plain request, route it, log the outcome (ids, never addresses), and answer 503 when a
 * port fails so the visitor can retry. The URL itself is public: the API refuses (403) what did not
 * come through CloudFront (`core/email/origin-check.ts`).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { composeSubscribeApi } from '../compose/subscribe-api.js';
import {
  type ApiRequest,
  handleApiRequest,
  type SubscribeApiDeps,
  unavailableResponse,
} from '../core/email/subscribe-http.js';
import { FUNCTIONS } from './contracts.js';
import { composedOnce } from './lifetime.js';

const logger = new Logger({ serviceName: FUNCTIONS.subscribeApi.service });

export function toApiRequest(event: APIGatewayProxyEventV2): ApiRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const body =
    event.body === undefined
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: event.rawQueryString ?? '',
    headers,
    ...(body === undefined ? {} : { body }),
  };
}

export function makeSubscribeApiHandler(compose: () => SubscribeApiDeps) {
  const deps = composedOnce(compose);
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const ready = await deps();
    const request = toApiRequest(event);
    try {
      const { response, event: outcome } = await handleApiRequest(ready, request);
      if (outcome.outcome === 'forbidden') {
        // Someone calls the function URL directly: where from, for an operator who wants to know.
        logger.warn('api request not from CloudFront', {
          ...outcome,
          method: request.method,
          sourceIp: event.requestContext.http.sourceIp,
        });
      } else logger.info('api request', { ...outcome, method: request.method, status: response.statusCode });
      return response;
    } catch (error) {
      logger.error('api request failed', {
        method: request.method,
        path: request.path,
        error: error as Error,
      });
      return unavailableResponse(ready.site, request);
    }
  };
}

export const handler = makeSubscribeApiHandler(() => composeSubscribeApi());
