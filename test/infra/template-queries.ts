import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';

/** A template resource; every resource these tests query has properties. */
export interface CfnResourceJson {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface PolicyStatementJson {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export function resources(template: Template, type: string): Record<string, CfnResourceJson> {
  return template.findResources(type) as Record<string, CfnResourceJson>;
}

export function resource(template: Template, logicalId: string): CfnResourceJson {
  const found = (template.toJSON() as { Resources: Record<string, CfnResourceJson> }).Resources[logicalId];
  if (!found) throw new Error(`no resource ${logicalId}`);
  return found;
}

export function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

export function props(template: Template, logicalId: string): Record<string, unknown> {
  return resource(template, logicalId).Properties;
}

/** A CloudFormation value flattened the way cdk-nag prints it: `<Bucket.Arn>/articles/*`. */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flatten).join(',');
  if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if ('Fn::Join' in node) {
      const [delimiter, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(delimiter);
    }
    if ('Fn::GetAtt' in node) {
      const [id, attribute] = node['Fn::GetAtt'] as [string, string];
      return `<${id}.${attribute}>`;
    }
    if ('Ref' in node) return `<${String(node.Ref)}>`;
    if ('Fn::Sub' in node) return flatten(node['Fn::Sub']).replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  return JSON.stringify(value);
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: PolicyStatementJson): string[] {
  const list = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
  return list.map(flatten);
}

/** Every statement granted to a function's execution role: inline policies and attached AWS::IAM::Policy resources. */
export function roleStatements(template: Template, functionLogicalId: string): PolicyStatementJson[] {
  const role = (props(template, functionLogicalId).Role as { 'Fn::GetAtt': [string, string] })[
    'Fn::GetAtt'
  ][0];
  const statements: PolicyStatementJson[] = [];
  const inline = (props(template, role).Policies ?? []) as {
    PolicyDocument: { Statement: PolicyStatementJson[] };
  }[];
  for (const policy of inline) statements.push(...policy.PolicyDocument.Statement);
  for (const policy of Object.values(resources(template, 'AWS::IAM::Policy'))) {
    const roles = (policy.Properties.Roles ?? []) as { Ref: string }[];
    if (roles.some((ref) => ref.Ref === role)) {
      statements.push(
        ...(policy.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement,
      );
    }
  }
  return statements;
}

export function allowedActions(statements: PolicyStatementJson[]): string[] {
  return statements.filter((s) => s.Effect === 'Allow').flatMap(actionsOf);
}

/** Whether an IAM action pattern such as `s3:Put*` covers `action` (IAM matches actions case-insensitively). */
function covers(pattern: string, action: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i').test(action);
}

/** The statements that allow `action`, either exactly or through a wildcard such as `s3:*` or `s3:Put*`. */
export function statementsAllowing(statements: PolicyStatementJson[], action: string): PolicyStatementJson[] {
  return statements.filter(
    (s) => s.Effect === 'Allow' && actionsOf(s).some((pattern) => covers(pattern, action)),
  );
}
