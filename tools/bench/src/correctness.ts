import type { HttpResponse } from './http-client.js';

/**
 * A server answered something other than what the protocol and the bench's own data say it
 * must: a wrong status, header, byte or listing. A broken registry must not score, so the
 * workload that saw it gets no number.
 */
export class CorrectnessError extends Error {
  constructor(
    readonly server: string,
    readonly workload: string,
    readonly what: string,
  ) {
    super(`${server}, workload ${workload}: ${what}`);
    this.name = 'CorrectnessError';
  }
}

/** Checks answers for one server in one workload; every failure names both. */
export class Checker {
  constructor(
    readonly server: string,
    readonly workload: string,
    /** Observations that are not failures (e.g. a server ignoring `n`), deduplicated. */
    readonly notes = new Set<string>(),
  ) {}

  fail(what: string): never {
    throw new CorrectnessError(this.server, this.workload, what);
  }

  /** Fails unless `condition` holds. */
  that(condition: boolean, what: () => string): void {
    if (!condition) this.fail(what());
  }

  status(response: HttpResponse, expected: number, request: string): void {
    if (response.status !== expected) {
      const body = response.body.subarray(0, 300).toString('utf8');
      this.fail(
        `${request} answered ${response.status}, expected ${expected}${body === '' ? '' : `: ${body}`}`,
      );
    }
  }

  /** The header's single value; fails if it is missing. */
  header(response: HttpResponse, name: string, request: string): string {
    const value = response.headers[name.toLowerCase()];
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (text === undefined || text === '') this.fail(`${request} answered without ${name}`);
    return text;
  }

  headerEquals(response: HttpResponse, name: string, expected: string, request: string): void {
    const actual = this.header(response, name, request);
    if (actual !== expected) {
      this.fail(`${request} answered ${name}: ${actual}, expected ${expected}`);
    }
  }

  note(text: string): void {
    this.notes.add(`${this.server}, workload ${this.workload}: ${text}`);
  }
}
