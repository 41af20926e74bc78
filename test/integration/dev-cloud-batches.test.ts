/**
 * `npm run dev:cloud` batches like AWS: the ingest queue hands the real ingest handler at most 10
 * records per batch (the SQS mapping's batch size) and logs one line per batch; and the process
 * keeps running when the reader of its output goes away (`npm run dev:cloud | head -1`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ARTICLES_BUCKET,
  ARTICLES_PREFIX,
  type DevCloud,
  startDevCloud,
} from '../../functions/dev/dev-cloud.js';
import { createRng, syntheticArticle } from '../fixtures/syndication.js';
import { REPO, TSX_LOADER } from '../helpers/cli.js';
import { testClients } from '../helpers/emulators.js';

const dirs: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), name));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const BURST = 23;
const articles = (n: number, seed: number) => {
  const rng = createRng(seed);
  return Array.from(
    { length: n },
    (_, i) => `Burst article ${i} about item ${seed}\n\n${syntheticArticle(rng, 3)}`,
  );
};

describe('dev:cloud hands the ingest at most 10 records per batch, as the SQS mapping does', () => {
  let cloud: DevCloud | undefined;
  afterAll(async () => cloud?.close());

  it(`a burst of ${BURST} uploads: batches of at most 10, one line each, every object ingested`, async () => {
    const lines: string[] = [];
    cloud = await startDevCloud({
      s3Port: 0,
      sitePort: 0,
      sesPort: 0,
      dataDir: tempDir('dev-batches-'),
      log: (l) => lines.push(l),
    });
    const clients = testClients(cloud.s3Endpoint, cloud.dynamoEndpoint);
    await Promise.all(
      articles(BURST, 7).map((body, i) =>
        clients.s3.send(
          new PutObjectCommand({ Bucket: ARTICLES_BUCKET, Key: `${ARTICLES_PREFIX}b${i}.txt`, Body: body }),
        ),
      ),
    );
    // An embargoed article (dev:cloud runs on the real clock): held, said on its line and its batch's.
    const embargoed = `---\ntitle: Embargoed\ndate: 2099-01-01T00:00:00Z\n---\n\nNot before the next century, says the plan.\n`;
    await clients.s3.send(
      new PutObjectCommand({ Bucket: ARTICLES_BUCKET, Key: `${ARTICLES_PREFIX}later.md`, Body: embargoed }),
    );
    await cloud.idle();
    expect(lines).toContain(`ingest ${ARTICLES_PREFIX}later.md: held until 2099-01-01T00:00:00.000Z`);
    expect(lines.filter((line) => line.startsWith('batch ') && /[(,] ?1 held\)/.test(line))).toHaveLength(1);

    const batches = lines.filter((line) => line.startsWith('batch '));
    const sizes = batches.map((line) =>
      Number(/^batch \d+: (\d+) objects? ingested in \d+\.\d s \(/.exec(line)?.[1]),
    );
    expect(sizes.every((size) => size >= 1 && size <= 10)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(BURST + 1);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(batches.map((line) => Number(/^batch (\d+):/.exec(line)?.[1]))).toEqual(
      batches.map((_, i) => i + 1),
    );
    expect(lines.filter((line) => line.startsWith('ingest ') && line.includes(': published'))).toHaveLength(
      BURST,
    );
    console.log(`dev:cloud burst of ${BURST}: ${batches.join(' | ')}`);
    clients.s3.destroy();
    clients.dynamo.destroy();
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

describe('npm run dev:cloud | head -1', () => {
  it('keeps running and ingesting after its output pipe closes (EPIPE), and stops cleanly on SIGTERM', async () => {
    const [s3Port, sitePort, sesPort] = [await freePort(), await freePort(), await freePort()];
    const dataDir = tempDir('dev-epipe-');
    const command = `"${process.execPath}" --import ${TSX_LOADER} functions/cli/main.ts dev-cloud --data ${dataDir}`;
    // pipefail: the pipeline's status is dev:cloud's when it fails, not only head's.
    const pipeline = spawn('bash', ['-o', 'pipefail', '-c', `${command} | head -1`], {
      cwd: REPO,
      env: {
        ...process.env,
        S3_PORT: String(s3Port),
        SITE_PORT: String(sitePort),
        SES_PORT: String(sesPort),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let first = '';
    pipeline.stdout!.on('data', (chunk: Buffer) => (first += chunk.toString()));
    let pid = 0;
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      for (let tries = 0; tries < 240 && !first.includes('\n'); tries++)
        await new Promise((resolve) => setTimeout(resolve, 250));
      expect(first).toMatch(/^dev:cloud is running/);
      // The data folder's pid file names the dev:cloud process (head has exited, the pipe is closed).
      pid = Number(readFileSync(join(dataDir, 'dev-cloud.pid'), 'utf8'));

      // Every line from now on has no reader: the uploads log ingest and publish lines into the closed pipe.
      const clients = testClients(`http://127.0.0.1:${s3Port}`, 'http://127.0.0.1:1');
      for (const [i, body] of articles(3, 9).entries())
        await clients.s3.send(
          new PutObjectCommand({ Bucket: ARTICLES_BUCKET, Key: `${ARTICLES_PREFIX}p${i}.txt`, Body: body }),
        );
      clients.s3.destroy();
      clients.dynamo.destroy();
      let items = 0;
      for (let tries = 0; tries < 120 && items < 3 && alive(); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const response = await fetch(`http://127.0.0.1:${sitePort}/feed.json`).catch(() => undefined);
        if (response?.ok) items = ((await response.json()) as { items: unknown[] }).items.length;
      }
      expect(alive()).toBe(true);
      expect(items).toBe(3);

      process.kill(pid, 'SIGTERM');
      expect(await exited(pipeline)).toBe(0);
    } finally {
      if (pid && alive()) process.kill(pid, 'SIGKILL');
      if (pipeline.exitCode === null) pipeline.kill('SIGKILL');
    }
  }, 120_000);
});
