import type { Kysely } from 'kysely';
import type { Tables } from './schema.js';

/** What every part of the model shares. */
export interface ModelContext {
  readonly db: Kysely<Tables>;
  readonly now: () => Date;
  /** bcrypt cost for new password hashes. */
  readonly bcryptCost: number;
}

export function timestamp(date: Date): string {
  return date.toISOString();
}

export function optionalDate(value: string | null): Date | undefined {
  return value === null ? undefined : new Date(value);
}

/** `e` is a unique-constraint violation, in SQLite's or PostgreSQL's words. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === '23505'
  );
}
