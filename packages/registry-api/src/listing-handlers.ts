import { parseDigest } from '@lading/oci';
import type { Exchange, HandlerContext } from './handler-context.js';
import { RegistryHttpError } from './http-errors.js';
import { queryValue } from './request-body.js';
import { urlFor } from './urls.js';

/** `GET /v2/<name>/tags/list?n=&last=`. */
export async function listTags(context: HandlerContext, exchange: Exchange): Promise<void> {
  const { request, response } = exchange;
  const n = pageSize(queryValue(request, 'n'), undefined, context.settings.maxTags);
  const last = queryValue(request, 'last');
  const page = await context.engine
    .repository(exchange.name)
    .tags.list({ ...(n === undefined ? {} : { n }), ...(last === undefined ? {} : { last }) });
  const lastTag = page.tags.at(-1);
  if (page.truncated && n !== undefined && n > 0 && lastTag !== undefined) {
    linkNext(context, exchange, `/v2/${exchange.name}/tags/list`, n, lastTag);
  }
  response.status(200).json({ name: exchange.name, tags: page.tags });
}

/** `GET /v2/_catalog?n=&last=`: 100 repositories by default, at most `catalog.maxentries`. */
export async function listCatalog(context: HandlerContext, exchange: Exchange): Promise<void> {
  const { request, response } = exchange;
  const { catalogDefaultEntries, catalogMaxEntries } = context.settings;
  const n =
    pageSize(queryValue(request, 'n'), catalogDefaultEntries, catalogMaxEntries) ??
    catalogDefaultEntries;
  const last = queryValue(request, 'last');
  const page = await context.engine.catalog({ n, ...(last === undefined ? {} : { last }) });
  const lastRepository = page.repositories.at(-1);
  if (page.truncated && n > 0 && lastRepository !== undefined) {
    linkNext(context, exchange, '/v2/_catalog', n, lastRepository);
  }
  response.status(200).json({ repositories: page.repositories });
}

/** `GET /v2/<name>/referrers/<digest>?artifactType=`: an OCI image index, never a 404. */
export async function listReferrers(context: HandlerContext, exchange: Exchange): Promise<void> {
  const { request, response } = exchange;
  parseDigest(exchange.target);
  const artifactType = queryValue(request, 'artifactType');
  const { index, filtersApplied } = await context.engine
    .repository(exchange.name)
    .referrers.list(exchange.target, artifactType === undefined ? {} : { artifactType });
  if (filtersApplied.length > 0)
    response.setHeader('OCI-Filters-Applied', filtersApplied.join(','));
  response.status(200).type('application/vnd.oci.image.index.v1+json').send(JSON.stringify(index));
}

/** A page size: a whole number ≥ 0, clamped to `max`; absent gives `fallback`. */
function pageSize(
  value: string | undefined,
  fallback: number | undefined,
  max: number,
): number | undefined {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) {
    throw new RegistryHttpError(
      'PAGINATION_NUMBER_INVALID',
      `n must be a whole number ≥ 0, not ${JSON.stringify(value)}`,
      { n: value },
    );
  }
  return Math.min(Number(value), max);
}

function linkNext(
  context: HandlerContext,
  exchange: Exchange,
  path: string,
  n: number,
  last: string,
): void {
  const query = new URLSearchParams({ n: String(n), last }).toString();
  exchange.response.setHeader(
    'Link',
    `<${urlFor(exchange.request, `${path}?${query}`, context.urls)}>; rel="next"`,
  );
}
