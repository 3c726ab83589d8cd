import type { Generated } from 'kysely';

/**
 * The tables, as Kysely sees them. Timestamps are ISO 8601 UTC text and
 * booleans are 0/1 integers in both SQLite and PostgreSQL, so one set of
 * queries runs unchanged on either.
 */
export interface Tables {
  users: UsersTable;
  namespaces: NamespacesTable;
  members: MembersTable;
  personal_access_tokens: PersonalAccessTokensTable;
  deploy_tokens: DeployTokensTable;
  settings: SettingsTable;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string;
  password_hash: string;
  admin: number;
  blocked: number;
  created_at: string;
}

/** Groups and projects share one path space, so they share one table. */
export interface NamespacesTable {
  id: Generated<number>;
  kind: 'group' | 'project';
  path: string;
  parent_id: number | null;
  visibility: string;
  container_registry_enabled: number;
  /** Why the registry stays off for this project whatever the setting says (a name it cannot take). */
  registry_disabled_reason: string | null;
  created_at: string;
}

export interface MembersTable {
  namespace_id: number;
  user_id: number;
  role: string;
  created_at: string;
}

export interface PersonalAccessTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** SHA-256 of the token, hex: the token itself is shown once and never stored. */
  token_hash: string;
  /** Space-separated scopes. */
  scopes: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

export interface DeployTokensTable {
  id: Generated<number>;
  project_id: number;
  name: string;
  username: string;
  token_hash: string;
  scopes: string;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

export interface SettingsTable {
  name: string;
  /** JSON. */
  value: string;
}
