import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface GeneratedKeyProps {
  description: string;
  /** Characters of the generated key (letters and digits). */
  length: number;
  /** Generate the key as this field of a JSON object (CloudFormation generates top-level strings only). */
  json?: { template: Record<string, unknown>; keyField: string };
  /** Why Secrets Manager rotation is not used (the cdk-nag AwsSolutions-SMG4 acknowledgement). */
  noRotationReason: string;
}

/**
 * A key Secrets Manager generates at deploy time (letters and digits, so no key exists in the template,
 * the repository or a developer's shell), retained when the stack is deleted: every key the mail
 * functions use is one that sent mail or stored ids depend on. Readers get GetSecretValue on it alone.
 */
export class GeneratedKey extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: GeneratedKeyProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: props.description,
      generateSecretString: {
        ...(props.json
          ? {
              secretStringTemplate: JSON.stringify(props.json.template),
              generateStringKey: props.json.keyField,
            }
          : {}),
        passwordLength: props.length,
        excludePunctuation: true,
        includeSpace: false,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: props.noRotationReason });
  }

  /** GetSecretValue and DescribeSecret on this secret only. */
  grantRead(grantee: IGrantable): void {
    this.secret.grantRead(grantee);
  }
}
