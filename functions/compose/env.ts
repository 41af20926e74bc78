/**
 * Configuration errors at cold start: fail fast, naming the variable (Powertools' getStringFromEnv).
 * Keys are `EnvKey`s: a key no function contract lists (`handlers/contracts.ts`) is a type error.
 */
import type { EnvKey } from '../handlers/contracts.js';

export class MissingEnvError extends Error {
  override name = 'MissingEnvError';
  constructor(readonly variable: string) {
    super(`environment variable ${variable} is not set`);
  }
}

/** A variable that is set, to something its function cannot use. */
export class InvalidEnvError extends Error {
  override name = 'InvalidEnvError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

export function getStringFromEnv(name: EnvKey, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new MissingEnvError(name);
  return value.trim();
}

export function getIntFromEnv(name: EnvKey, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const value = env[name];
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) {
    throw new InvalidEnvError(
      name,
      `environment variable ${name} must be a positive integer, got "${value}"`,
    );
  }
  return parsed;
}
