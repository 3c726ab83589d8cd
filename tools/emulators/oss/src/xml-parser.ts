import { malformedXml } from './errors.js';

/** An element of a request body: its name, child elements and text (attributes are dropped). */
export interface XmlNode {
  readonly name: string;
  readonly children: XmlNode[];
  text: string;
}

// Markup the request bodies OSS takes can hold: a declaration, comments, CDATA, tags.
const token =
  /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([A-Za-z_][\w.-]*)[^>]*?(\/?)>|([^<]+)/gy;

/**
 * Parses the two small documents OSS reads from a body, `<Delete>` and
 * `<CompleteMultipartUpload>`: enough XML for them, strictly (mismatched or unclosed tags, text
 * outside the root, a second root are all MalformedXML, as OSS answers).
 */
export function parseXml(text: string): XmlNode {
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let position = 0;
  token.lastIndex = 0;
  for (let match = token.exec(text); match !== null; match = token.exec(text)) {
    position = token.lastIndex;
    const [, cdata, closing, name, selfClosing, chars] = match;
    const parent = stack.at(-1);
    if (cdata !== undefined || chars !== undefined) {
      const content = cdata ?? decodeEntities(chars ?? '');
      if (parent !== undefined) parent.text += content;
      else if (content.trim() !== '') throw malformedXml();
    } else if (name !== undefined && closing === '/') {
      if (stack.pop()?.name !== name) throw malformedXml();
    } else if (name !== undefined) {
      if (parent === undefined && root !== undefined) throw malformedXml();
      const node: XmlNode = { name, children: [], text: '' };
      if (parent === undefined) root = node;
      else parent.children.push(node);
      if (selfClosing !== '/') stack.push(node);
    }
    // Otherwise a declaration or a comment: nothing to keep.
  }
  if (position !== text.length || stack.length > 0 || root === undefined) throw malformedXml();
  return root;
}

/** The children of `node` named `name`. */
export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((child) => child.name === name);
}

/** The text of the one child named `name`, or undefined; two of them are MalformedXML. */
export function childText(node: XmlNode, name: string): string | undefined {
  const found = childrenNamed(node, name);
  if (found.length > 1) throw malformedXml();
  return found[0]?.text;
}

const named: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);|&/g, (all, entity: string | undefined) => {
    if (entity === undefined) throw malformedXml();
    if (entity.startsWith('#')) {
      const code = entity.startsWith('#x')
        ? parseInt(entity.slice(2), 16)
        : Number(entity.slice(1));
      if (code > 0x10ffff) throw malformedXml();
      return String.fromCodePoint(code);
    }
    const char = named[entity];
    if (char === undefined) throw malformedXml();
    return char;
  });
}
