import type { Request } from 'express';
import { InvalidInputError } from '../errors.js';
import {
  isRole,
  isTokenScope,
  isVisibility,
  type Role,
  type TokenScope,
  type Visibility,
} from '../roles.js';

/** A request's JSON body (or query, for DELETE with parameters), checked field by field. */
export class Input {
  constructor(private readonly fields: Readonly<Record<string, unknown>>) {}

  static body(request: Request): Input {
    const body: unknown = request.body;
    if (body === undefined || body === null) return new Input({});
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw new InvalidInputError('body', 'must be a JSON object');
    }
    return new Input(body as Record<string, unknown>);
  }

  /** Body fields, then query parameters (GitLab takes bulk-delete rules either way). */
  static bodyAndQuery(request: Request): Input {
    const query: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(request.query)) {
      if (typeof value === 'string') query[name] = value;
    }
    return new Input({ ...query, ...Input.body(request).fields });
  }

  names(): string[] {
    return Object.keys(this.fields);
  }

  raw(name: string): unknown {
    return this.fields[name];
  }

  string(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined) throw new InvalidInputError(name, 'is required');
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.fields[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new InvalidInputError(name, 'must be a string');
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.fields[name];
    if (value === undefined) return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new InvalidInputError(name, 'must be true or false');
  }

  optionalInteger(name: string, min: number, max: number): number | undefined {
    const value = this.fields[name];
    if (value === undefined) return undefined;
    const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
      throw new InvalidInputError(name, `must be a whole number from ${min} to ${max}`);
    }
    return number;
  }

  optionalVisibility(name = 'visibility'): Visibility | undefined {
    const value = this.fields[name];
    if (value === undefined) return undefined;
    if (!isVisibility(value))
      throw new InvalidInputError(name, 'must be public, internal or private');
    return value;
  }

  role(name = 'role'): Role {
    const value = this.fields[name];
    if (!isRole(value)) {
      throw new InvalidInputError(name, 'must be guest, reporter, developer, maintainer or owner');
    }
    return value;
  }

  scopes(name = 'scopes'): TokenScope[] {
    const value = this.fields[name];
    const list = typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : value;
    if (!Array.isArray(list) || list.length === 0 || !list.every(isTokenScope)) {
      throw new InvalidInputError(name, 'must list read_registry, write_registry and/or api');
    }
    return list;
  }

  optionalDate(name: string): Date | undefined {
    const value = this.optionalString(name);
    if (value === undefined) return undefined;
    const date = new Date(value);
    if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
      throw new InvalidInputError(name, `"${value}" is not an ISO 8601 date`);
    }
    return date;
  }

  /** Refuses fields it does not know, so a typo is not silently ignored. */
  onlyFields(...known: string[]): this {
    const unknown = Object.keys(this.fields).find((name) => !known.includes(name));
    if (unknown !== undefined) {
      throw new InvalidInputError(unknown, `is not a field here; expected ${known.join(', ')}`);
    }
    return this;
  }
}
