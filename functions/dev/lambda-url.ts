/**
 * A Lambda Function URL behind CloudFront on a Node HTTP server, for `npm run dev:cloud`: the request
 * becomes the payload 2.0 event Lambda would build, with the two headers CloudFront sets in front of it
 * (the viewer address, and the secret origin header the API requires), whatever the client sent under
 * those names; the handler's result becomes the response.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ORIGIN_VERIFY_HEADER } from '../core/email/origin-check.js';

/** Far above anything the subscribe API accepts (it answers 413 itself above 4 KiB). */
export const MAX_REQUEST_BYTES = 64 * 1024;

export class RequestTooLargeError extends Error {
  override name = 'RequestTooLargeError';
}

/** The whole body, refusing more than `limit` bytes without buffering them. */
export async function readBody(request: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request) {
    const chunk = part as Buffer;
    size += chunk.length;
    if (size > limit) throw new RequestTooLargeError(`request body over ${limit} bytes`);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** `originHeader`: the value CloudFront's origin custom header would carry. */
export function functionUrlEvent(
  request: IncomingMessage,
  body: Buffer,
  originHeader: string,
): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://dev-cloud');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // CloudFront replaces whatever the viewer sent with the address it saw, and with its origin header.
  headers['cloudfront-viewer-address'] =
    `${request.socket.remoteAddress ?? '127.0.0.1'}:${request.socket.remotePort ?? 0}`;
  headers[ORIGIN_VERIFY_HEADER] = originHeader;
  const now = new Date();
  const method = request.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'dev-cloud',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'dev-cloud',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    // Function URLs base64-encode bodies they do not know to be text, form posts among them.
    isBase64Encoded: body.length > 0,
    ...(body.length > 0 ? { body: body.toString('base64') } : {}),
  };
}

export function writeResult(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body =
    result.body === undefined
      ? undefined
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(body);
}
