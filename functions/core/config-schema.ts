/**
 * The one set of field validators for settings, shared by the site config (`core/config.ts`, read
 * by the local build and every function) and the deployment config (`infra/config.ts`, the CDK
 * context). Each caller says how a failure reads (`fail`); the rules and their wording are here.
 */

export type RawObject = Record<string, unknown>;

export function isRecord(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws the caller's error for the field at `path` breaking `rule` ("must be …"). */
export type FieldFailure = (path: string, rule: string) => never;

export interface FieldReader {
  /** A trimmed non-empty string, at most `maxLength` characters when given; `fallback` when absent. */
  text(raw: RawObject, key: string, path: string, fallback: string, maxLength?: number): string;
  /** Like `text`, but absent stays undefined. */
  optionalText(raw: RawObject, key: string, path: string, maxLength?: number): string | undefined;
  /** A whole number from `min` to `max`; `fallback` when absent. */
  integer(raw: RawObject, key: string, path: string, fallback: number, min: number, max: number): number;
}

export function fieldReader(fail: FieldFailure): FieldReader {
  const reader: FieldReader = {
    text(raw, key, path, fallback, maxLength) {
      const value = raw[key];
      if (value === undefined) return fallback;
      if (
        typeof value !== 'string' ||
        value.trim() === '' ||
        (maxLength !== undefined && value.length > maxLength)
      ) {
        fail(
          path,
          maxLength === undefined
            ? 'must be a non-empty string'
            : `must be a non-empty string of at most ${maxLength} characters`,
        );
      }
      return value.trim();
    },
    optionalText(raw, key, path, maxLength) {
      return raw[key] === undefined ? undefined : reader.text(raw, key, path, '', maxLength);
    },
    integer(raw, key, path, fallback, min, max) {
      const value = raw[key];
      if (value === undefined) return fallback;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        fail(path, `must be an integer from ${min} to ${max}`);
      }
      return value;
    },
  };
  return reader;
}

/** One broken rule: the dotted key and what it must be. */
export interface ConfigProblem {
  path: string;
  rule: string;
}

class FieldIssue extends Error {
  override name = 'FieldIssue';
  constructor(readonly problem: ConfigProblem) {
    super(`${problem.path} ${problem.rule}`);
  }
}

/**
 * Collects every broken rule of a settings object instead of stopping at the first, so that an editor
 * fixes a config file in one go. Each field is read inside `check`: its reader fails through `fail`,
 * the problem is recorded, and the field's fallback keeps the rest of the validation going.
 */
export class ProblemCollector {
  readonly problems: ConfigProblem[] = [];
  readonly fail: FieldFailure = (path, rule) => {
    throw new FieldIssue({ path, rule });
  };
  readonly fields: FieldReader = fieldReader(this.fail);

  /**
   * `read()`, or `fallback` when it broke a rule. `adopt` turns another error type that names a key
   * (the deployment parsers' own) into a problem too.
   */
  check<T>(read: () => T, fallback: T, adopt?: (error: unknown) => ConfigProblem | undefined): T {
    try {
      return read();
    } catch (error) {
      const problem = error instanceof FieldIssue ? error.problem : adopt?.(error);
      if (!problem) throw error;
      this.problems.push(problem);
      return fallback;
    }
  }

  add(path: string, rule: string): void {
    this.problems.push({ path, rule });
  }
}
