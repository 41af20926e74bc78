import { StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { BY_CREATED_INDEX, BY_DATE_INDEX } from '../../functions/adapters/aws/story-items.js';
import { KeyedTable } from './keyed-table.js';

/*
 * Index names come from the adapter that queries them, so the table and the code cannot disagree.
 * `byDate` lists stories by date (`gsi1pk`, `gsi1sk`). `byCreated` is the sparse index of stories by
 * first publication (`gsi2pk` = `CREATED`, `gsi2sk` = `<createdAt>#<storyId>`): an edition takes the
 * stories created since the previous one, and an updated story keeps its place. Always present,
 * email or not: it costs one index entry per story, and turning email on later needs no backfill.
 */
export { BY_CREATED_INDEX, BY_DATE_INDEX };

/** The keys the publish function reacts to; other items (articles, fingerprints, bookkeeping) do not republish. */
export const STORY_KEY_PREFIX = 'STORY#';

/** The partition of the publisher's "dirty" marks: what to render next. */
export const DIRTY_KEY = 'DIRTY';

/**
 * The single-table index of articles, fingerprints and stories. On-demand (traffic is a trickle
 * of uploads), point-in-time recovery on, and its stream drives publishing.
 */
export class StoryTable extends KeyedTable {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      indexes: [
        { name: BY_DATE_INDEX, prefix: 'gsi1' },
        { name: BY_CREATED_INDEX, prefix: 'gsi2' },
      ],
      // Only the edition function queries byCreated (`grantEditionAccess`); the pipeline reads byDate.
      grantedIndexes: [BY_DATE_INDEX],
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
  }

  /**
   * What an edition needs: Query on `byCreated` and GetItem; and, to have the home page link the new
   * edition, UpdateItem on the publisher's dirty marks and story items only (`dynamodb:LeadingKeys`):
   * a write there is what wakes the publisher (its stream filter passes `STORY#` keys).
   */
  grantEditionAccess(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [this.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [DIRTY_KEY, `${STORY_KEY_PREFIX}*`] },
        },
      }),
    );
    this.grantCreatedStoriesRead(grantee);
  }

  private grantCreatedStoriesRead(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${this.tableArn}/index/${BY_CREATED_INDEX}`],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [this.tableArn] }),
    );
  }
}
