/**
 * The `rel="next"` target of an RFC 8288 Link header, resolved against `base` (registries send
 * `</v2/_catalog?last=a&n=100>; rel="next"`, a path without the host). Undefined when there is
 * none.
 */
export function nextLink(header: string | string[] | undefined, base: string): string | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(', ') : header;
  // <target>; param; param, <target>; … — targets are in angle brackets, so commas inside
  // them do not split links.
  const link = /<([^>]*)>([^<]*)/g;
  for (const match of text.matchAll(link)) {
    const [, target, parameters] = match;
    if (target === undefined || parameters === undefined) continue;
    for (const parameter of parameters.split(';')) {
      const [name, value] = parameter.split('=').map((part) => part.trim());
      if (name?.toLowerCase() !== 'rel' || value === undefined) continue;
      const relations = value.replace(/^"|"$/g, '').toLowerCase().split(/\s+/);
      if (relations.includes('next')) return new URL(target, base).toString();
    }
  }
  return undefined;
}
