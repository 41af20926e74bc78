/**
 * dev:cloud's HTTP side: serves the site bucket as CloudFront would (folders are their
 * `index.html`), and names the paths the email path answers (`/api/*`, `/_dev/*`).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../adapters/aws/clients.js';
import { isMissingObject } from '../adapters/aws/s3-errors.js';

/** Listens on 127.0.0.1; resolves to the port actually bound (0 picks a free one). */
export function listen(server: Server, port: number): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      done((server.address() as AddressInfo).port);
    });
  });
}

/** The object key a site URL path names: `/` and folders are their `index.html`; undefined if unsafe. */
export function siteKeyFor(pathname: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const key = path.replace(/^\/+/, '');
  const full = key === '' || key.endsWith('/') ? `${key}index.html` : key;
  if (full.split('/').some((part) => part === '' || part === '.' || part === '..') || full.includes('\0'))
    return undefined;
  return full;
}

/** The site bucket over HTTP: GET and HEAD, 404 for a missing key, 502 when the bucket cannot be read. */
export function siteHandler(clients: AwsClients, bucket: string, onError: (error: unknown) => void) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const key = siteKeyFor(new URL(request.url ?? '/', 'http://site').pathname);
    const notFound = () => {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    };
    if (!key) return notFound();
    try {
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      response.writeHead(200, {
        'Content-Type': object.ContentType ?? 'application/octet-stream',
        ...(object.ContentLength !== undefined ? { 'Content-Length': object.ContentLength } : {}),
        ...(object.CacheControl ? { 'Cache-Control': object.CacheControl } : {}),
      });
      const body = object.Body as Readable | undefined;
      if (request.method === 'HEAD' || !body) {
        body?.destroy();
        response.end();
        return;
      }
      body.pipe(response);
    } catch (error) {
      if (isMissingObject(error)) return notFound();
      onError(error);
      if (!response.headersSent) response.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('The site bucket could not be read\n');
    }
  };
}

/** The paths the email path answers on the site server; `/api/*` is the subscribe API, as CloudFront routes it. */
export type EmailRoute = 'api' | 'edition' | 'mail';

export function emailRouteFor(pathname: string): EmailRoute | undefined {
  if (pathname.startsWith('/api/')) return 'api';
  if (pathname === '/_dev/edition') return 'edition';
  if (pathname === '/_dev/mail') return 'mail';
  return undefined;
}
