import type { BaseDriverOptions } from '@lading/storage-driver';

export const MiB = 1024 * 1024;

/** distribution's segment size, and its floor. */
export const defaultChunkSize = 20 * MiB;
export const minimumChunkSize = 1 * MiB;
/** Swift's default ceiling for one object (max_file_size), so for one segment. */
export const maximumChunkSize = 5 * 1024 * MiB;
/** How long a TempURL redirect stays valid: distribution's 20 minutes. */
export const defaultRedirectExpirySeconds = 20 * 60;
/** Attempts per request, the first included, before a transient failure is given up. */
export const defaultMaxAttempts = 5;
/** Until the response headers arrive; a body may then take as long as it takes. */
export const defaultRequestTimeoutMs = 60_000;

/** Which catalog URL of the object-store service to use (Keystone only). */
export const endpointTypes = ['public', 'internal', 'admin'] as const;
export type EndpointType = (typeof endpointTypes)[number];

/** 0 guesses from the auth URL: `…/v3…` → 3, `…/v2…` → 2, else TempAuth v1. */
export const authVersions = [0, 1, 2, 3] as const;
export type AuthVersion = (typeof authVersions)[number];

/** The HTTP methods a TempURL may be signed for. */
export const tempUrlMethods = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'] as const;
export type TempUrlMethod = (typeof tempUrlMethods)[number];

/** Who the driver is and where it logs in: distribution's swift keys, same meanings. */
export interface SwiftAuthOptions {
  /** `authurl`: TempAuth (`…/auth/v1.0`) or Keystone (`…/v2.0`, `…/v3`). */
  authUrl: string;
  /** `username`; TempAuth wants `account:user`. */
  username: string;
  /** `password`; TempAuth's key. */
  password: string;
  /** `authversion`; default 0 (guess from `authUrl`). */
  authVersion?: AuthVersion;
  /** `tenant` / `tenantid`: the project (v2 tenant) to scope the token to. */
  tenant?: string;
  tenantId?: string;
  /** `domain` / `domainid`: the user's domain (v3). */
  domain?: string;
  domainId?: string;
  /** `tenantdomain` / `tenantdomainid`: the project's domain (v3); default the user's. */
  tenantDomain?: string;
  tenantDomainId?: string;
  /** `trustid`: scope a v3 token to a trust instead of a project. */
  trustId?: string;
  /** `region`: the catalog region of the object-store endpoint; default the first. */
  region?: string;
  /** `endpointtype`; default `public`. */
  endpointType?: EndpointType;
}

/** The swift driver's options; `fromParameters()` builds them from config.yml. */
export interface SwiftDriverOptions extends BaseDriverOptions, SwiftAuthOptions {
  /** `container`: created at start-up when missing. */
  container: string;
  /** `prefix`: a path inside the container under which everything is stored. Default none. */
  prefix?: string;
  /** `insecureskipverify`: accept any TLS certificate. Default false. */
  insecureSkipVerify?: boolean;
  /** `chunksize`: segment size of writers; memory per open writer ≈ 2 × this. Default 20 MiB. */
  chunkSize?: number;
  /** `secretkey`: the TempURL key; redirects are on when set (and `tempUrlMethods` allows). */
  secretKey?: string;
  /** `accesskey`: HP Cloud's TempURL form, `tenantid:accesskey:signature`. */
  accessKey?: string;
  /** `tempurlcontainerkey`: keep the key on the container, not the account. Default false. */
  tempUrlContainerKey?: boolean;
  /** `tempurlmethods`: methods the cluster's TempURL middleware allows. Default GET and HEAD. */
  tempUrlMethods?: readonly TempUrlMethod[];
  /** Attempts per request on 5xx, 408, 429 and network errors. Default 5. */
  maxAttempts?: number;
  /** Time to response headers, per attempt. Default 60 s. */
  requestTimeoutMs?: number;
  /** Lifetime of TempURL redirects. Default 1200 s. */
  redirectExpirySeconds?: number;
  /**
   * Build the driver without a word to Swift, for an offline configuration check: no login,
   * and the container and the TempURL key are neither checked nor set up. Default false.
   */
  offline?: boolean;
}
