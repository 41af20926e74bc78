/**
 * Stories as ingest leaves them, for the edition tests: the article in the articles bucket and the
 * story item, first published at `createdAt`, in the story table.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../functions/adapters/aws/clients.js';
import { storyTable } from './story-table.js';

export interface StoryPlace {
  storyTable: string;
  articlesBucket: string;
  /** The articles prefix (ARTICLES_PREFIX) the article key goes under. */
  prefix: string;
}

export interface StoryFixture {
  id: string;
  createdAt: string;
  /** The article's date. @default the day of `createdAt` */
  date?: string;
  /** The slug is the title in lower case, spaces as hyphens. */
  title: string;
  summary: string;
  text: string;
}

export async function putStoryWithArticle(
  clients: Pick<AwsClients, 's3' | 'dynamo'>,
  place: StoryPlace,
  story: StoryFixture,
): Promise<void> {
  const key = `${story.id}.md`;
  const date = story.date ?? story.createdAt.slice(0, 10);
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: place.articlesBucket,
      Key: `${place.prefix}${key}`,
      Body: `---\ntitle: ${story.title}\ndate: ${date}\nsummary: ${story.summary}\n---\n\n${story.text}\n`,
    }),
  );
  await storyTable(clients.dynamo, place.storyTable).ingest.putStory({
    id: story.id,
    createdAt: story.createdAt,
    slug: story.title.toLowerCase().replaceAll(' ', '-'),
    canonical: key,
    members: [key],
    date: `${date}T00:00:00.000Z`,
    updated: `${date}T00:00:00.000Z`,
    title: story.title,
    evidence: {},
    createdBuild: 1,
  });
}
