// Writing OSS's XML answers: small documents of nested elements, built as strings.

/** `<name>text</name>`, the text escaped. */
export function element(name: string, text: string | number | boolean): string {
  return `<${name}>${escapeXml(String(text))}</${name}>`;
}

/** `<name>…</name>` around elements already built. */
export function group(name: string, children: readonly string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

/** The elements for the entries of `fields` whose value is defined, in order. */
export function elements(fields: Readonly<Record<string, string | number | undefined>>): string[] {
  return Object.entries(fields)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => element(name, value));
}

export function xmlDocument(root: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}`;
}

/**
 * Escapes text for an element. Characters XML 1.0 cannot carry at all (most C0 controls) become
 * character references, as OSS writes them; a client that needs them intact asks for
 * `encoding-type=url`.
 */
export function escapeXml(text: string): string {
  return text.replace(/[<>&\p{Cc}]/gu, (char) => {
    if (char === '<') return '&lt;';
    if (char === '>') return '&gt;';
    if (char === '&') return '&amp;';
    const code = char.charCodeAt(0);
    // Tab, line feed, carriage return and DEL onwards are fine as they are.
    return code >= 0x7f || char === '\t' || char === '\n' || char === '\r'
      ? char
      : `&#${String(code)};`;
  });
}
