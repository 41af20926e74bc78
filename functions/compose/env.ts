/** Configuration errors at cold start: fail fast, naming the variable (Powertools' getStringFromEnv). */
export class MissingEnvError extends Error {
  constructor(readonly variable: string) {
    super(`environment variable ${variable} is not set`);
    this.name = 'MissingEnvError';
  }
}

export function getStringFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new MissingEnvError(name);
  return value.trim();
}

export function getIntFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const value = env[name];
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) {
    throw new Error(`environment variable ${name} must be a positive integer, got "${value}"`);
  }
  return parsed;
}
