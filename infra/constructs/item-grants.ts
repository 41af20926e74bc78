import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';

/*
 * Item-level DynamoDB grants. Unlike `Table.grantReadData`, indexes are named exactly instead of
 * `index/*`, so the policies carry no wildcard resource, and nothing table-level (no UpdateTable,
 * no stream or backup actions) is ever granted.
 */

export const ITEM_READ_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
];

export const ITEM_WRITE_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];

/** Item reads on the table and the named indexes. */
export function grantItemRead(grantee: IGrantable, tableArn: string, indexNames: readonly string[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ITEM_READ_ACTIONS,
      resources: [tableArn, ...indexNames.map((name) => `${tableArn}/index/${name}`)],
    }),
  );
}

/** Item reads (see `grantItemRead`) and writes; writes only target the table, indexes are read-only. */
export function grantItemReadWrite(
  grantee: IGrantable,
  tableArn: string,
  indexNames: readonly string[],
): void {
  grantItemRead(grantee, tableArn, indexNames);
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ITEM_WRITE_ACTIONS, resources: [tableArn] }),
  );
}
