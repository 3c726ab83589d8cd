import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import bcrypt from 'bcryptjs';
import type { Access } from './access.js';
import { allowedActions, type Authorizer, type TokenPrincipal } from './authorizer.js';
import { globPattern } from './glob.js';

/** One grant: who, on what, may do which actions. Rules add up; none takes away. */
export interface ConfigRule {
  readonly match: {
    /** A glob over the user name; `*` is any signed-in user; absent is anyone, anonymous too. */
    readonly account?: string;
    /** The resource type (`repository`, `registry`); absent is any. Classes are ignored. */
    readonly type?: string;
    /**
     * A glob over the resource name: `*` within a path component, `**` across
     * them, `${account}` the user's name (`${account}/**`: a personal namespace).
     */
    readonly name?: string;
  };
  /** `pull`, `push`, `delete`, … or `*` for every action. */
  readonly actions: readonly string[];
}

export interface ConfigAuthorizerOptions {
  /** User name → bcrypt hash (`htpasswd -B`: `$2y$`, `$2a$` and `$2b$` are all taken). */
  readonly users: Readonly<Record<string, string>>;
  readonly rules: readonly ConfigRule[];
}

const bcryptHash = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const actionPattern = /^(?:[a-z]+|\*)$/;

/**
 * An `Authorizer` from a static configuration: bcrypt-hashed users and
 * additive rules. Throws `TypeError` naming the first thing wrong with it.
 */
export function createConfigAuthorizer(options: ConfigAuthorizerOptions): Authorizer {
  const config = validateConfig(options, 'config');
  const users = new Map(Object.entries(config.users));
  // Unknown users are checked against a hash of the same cost, so the answer
  // takes as long as for a wrong password and does not tell who exists.
  const cost = Math.max(4, ...[...users.values()].map((hash) => Number(hash.slice(4, 6))));
  const decoy = bcrypt.hash(randomBytes(16).toString('hex'), cost);

  function matches(rule: ConfigRule, principal: TokenPrincipal | undefined, item: Access): boolean {
    const { account, type, name } = rule.match;
    if (account !== undefined) {
      if (principal === undefined) return false;
      if (globPattern(account)?.test(principal.name) !== true) return false;
    }
    if (type !== undefined && type !== item.type) return false;
    return name === undefined || globPattern(name, principal?.name)?.test(item.name) === true;
  }

  return {
    async authenticate(username, password) {
      const hash = users.get(username);
      const ok = await bcrypt.compare(password, hash ?? (await decoy));
      return hash !== undefined && ok ? { name: username } : undefined;
    },
    authorize(principal, requested) {
      const granted: Access[] = [];
      for (const item of requested) {
        const allowed = new Set(
          config.rules
            .filter((rule) => matches(rule, principal, item))
            .flatMap((rule) => rule.actions),
        );
        const actions = allowedActions(item.actions, allowed);
        if (actions.length > 0) granted.push({ ...item, actions });
      }
      return Promise.resolve(granted);
    },
    resolve(name) {
      return Promise.resolve(users.has(name) ? { name } : undefined);
    },
  };
}

/**
 * `createConfigAuthorizer` over a JSON file of the same shape
 * (`{"users": {...}, "rules": [...]}`); errors name the file and the field.
 */
export async function loadConfigAuthorizer(path: string): Promise<Authorizer> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new TypeError(`${path}: not readable as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return createConfigAuthorizer(validateConfig(value, path));
}

function validateConfig(value: unknown, source: string): ConfigAuthorizerOptions {
  const fail = (message: string): never => {
    throw new TypeError(`${source}: ${message}`);
  };
  if (!isRecord(value)) return fail('expected an object with "users" and "rules"');
  const { users, rules } = value;
  if (!isRecord(users)) return fail('"users" must map user names to bcrypt hashes');
  for (const [user, hash] of Object.entries(users)) {
    if (user === '' || user.includes(':')) fail(`user name ${JSON.stringify(user)} is not allowed`);
    if (typeof hash !== 'string' || !bcryptHash.test(hash)) {
      fail(`users.${user} is not a bcrypt hash (htpasswd -B)`);
    }
  }
  if (!Array.isArray(rules)) return fail('"rules" must be a list');
  for (const [index, rule] of (rules as unknown[]).entries()) {
    const where = `rules[${String(index)}]`;
    if (!isRecord(rule) || !isRecord(rule.match)) fail(`${where} needs "match" and "actions"`);
    const { match, actions } = rule as Record<string, unknown> & { match: Record<string, unknown> };
    for (const field of ['account', 'type', 'name'] as const) {
      const text = match[field];
      if (text !== undefined && (typeof text !== 'string' || text === '')) {
        fail(`${where}.match.${field} must be a non-empty string`);
      }
    }
    for (const field of Object.keys(match)) {
      if (!['account', 'type', 'name'].includes(field)) fail(`${where}.match.${field} is unknown`);
    }
    if (
      !Array.isArray(actions) ||
      !(actions as unknown[]).every(
        (action) => typeof action === 'string' && actionPattern.test(action),
      )
    ) {
      fail(`${where}.actions must list actions such as "pull", "push", "delete" or "*"`);
    }
  }
  return value as unknown as ConfigAuthorizerOptions;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
