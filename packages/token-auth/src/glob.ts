/**
 * A resource-name glob as a whole-string RegExp: `*` matches within one path
 * component, `**` across components, anything else literally. `${account}`
 * stands for the signed-in user's name, inserted literally (a user called
 * `a*` does not get a wildcard); with no account such a glob matches nothing.
 */
export function globPattern(glob: string, account?: string): RegExp | undefined {
  const parts = glob.split('${account}');
  if (parts.length > 1 && account === undefined) return undefined;
  const body = parts
    .map((part) =>
      part
        .split('**')
        .map((piece) => piece.split('*').map(escapeRegExp).join('[^/]*'))
        .join('.*'),
    )
    .join(escapeRegExp(account ?? ''));
  return new RegExp(`^${body}$`, 's');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
