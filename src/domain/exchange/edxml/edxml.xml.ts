/**
 * A tiny namespace-aware XML tree for the (small) edXML envelope, with a serializer and Exclusive XML
 * Canonicalization 1.0 without comments (http://www.w3.org/2001/10/xml-exc-c14n#). Attachments never
 * enter this tree: they are streamed. The c14n output is cross-checked against libxml2
 * (`xmllint --exc-c14n`) in the tests.
 */

export const EDXML_NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const XLINK_NS = 'http://www.w3.org/1999/xlink';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

export type XText = { kind: 'text'; value: string };
export type XAttr = { prefix: string; local: string; uri: string; value: string };
export type XElement = {
  kind: 'element';
  prefix: string;
  local: string;
  uri: string;
  attrs: XAttr[];
  /** Namespace declarations written on this element (prefix '' = default namespace). */
  ns: Record<string, string>;
  children: XNode[];
};
export type XNode = XElement | XText;

/** Makes an element from a qualified name (`edXML:From`) in namespace `uri`. */
export function xel(qname: string, uri: string, children: XNode[] = [], attrs: XAttr[] = []): XElement {
  const i = qname.indexOf(':');
  return {
    kind: 'element', prefix: i < 0 ? '' : qname.slice(0, i), local: i < 0 ? qname : qname.slice(i + 1),
    uri, attrs, ns: {}, children,
  };
}

/** Makes a text node. */
export function xtext(value: string): XText {
  return { kind: 'text', value };
}

/** Makes an unqualified attribute. */
export function xattr(local: string, value: string): XAttr {
  return { prefix: '', local, uri: '', value };
}

export function qname(node: { prefix: string; local: string }): string {
  return node.prefix ? `${node.prefix}:${node.local}` : node.local;
}

/** Child elements with the given local name (any namespace, as foreign readers do). */
export function childrenNamed(el: XElement, local: string): XElement[] {
  return el.children.filter((c): c is XElement => c.kind === 'element' && c.local === local);
}

/** First child element with one of the given local names. */
export function childNamed(el: XElement, ...locals: string[]): XElement | undefined {
  for (const c of el.children) if (c.kind === 'element' && locals.includes(c.local)) return c;
  return undefined;
}

/** Concatenated text content of an element and its descendants. */
export function textOf(el: XElement): string {
  let out = '';
  for (const c of el.children) out += c.kind === 'text' ? c.value : textOf(c);
  return out;
}

export function escapeText(value: string): string {
  if (!/[&<>\r]/.test(value)) return value;
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

export function escapeAttr(value: string): string {
  if (!/[&<"\t\n\r]/.test(value)) return value;
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');
}

/** Serializes a tree as written by us (namespace declarations exactly where `ns` puts them). */
export function serializeXml(node: XNode): string {
  if (node.kind === 'text') return escapeText(node.value);
  const name = qname(node);
  let open = `<${name}`;
  for (const [prefix, uri] of Object.entries(node.ns)) open += ` ${prefix ? `xmlns:${prefix}` : 'xmlns'}="${escapeAttr(uri)}"`;
  for (const a of node.attrs) open += ` ${qname(a)}="${escapeAttr(a.value)}"`;
  if (node.children.length === 0) return `${open}/>`;
  return `${open}>${node.children.map(serializeXml).join('')}</${name}>`;
}

function compareAttrs(a: XAttr, b: XAttr): number {
  if (a.uri !== b.uri) return a.uri < b.uri ? -1 : 1;
  return a.local < b.local ? -1 : a.local > b.local ? 1 : 0;
}

function utilizedNamespaces(el: XElement): Map<string, string> {
  const used = new Map<string, string>();
  used.set(el.prefix, el.uri);
  for (const a of el.attrs) if (a.prefix && a.prefix !== 'xml') used.set(a.prefix, a.uri);
  return used;
}

function c14nElement(el: XElement, rendered: Map<string, string>, out: string[], skip?: (el: XElement) => boolean) {
  const decls: [string, string][] = [];
  for (const [prefix, uri] of utilizedNamespaces(el)) {
    if (prefix === '' && uri === '') {
      // An unqualified element under a rendered non-empty default namespace must undeclare it.
      if ((rendered.get('') ?? '') !== '') decls.push(['', '']);
    } else if (rendered.get(prefix) !== uri) decls.push([prefix, uri]);
  }
  // What the children see differs from the parent's only by what this element declares.
  let mine = rendered;
  if (decls.length > 0) {
    mine = new Map(rendered);
    for (const [prefix, uri] of decls) mine.set(prefix, uri);
  }
  decls.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const name = qname(el);
  out.push(`<${name}`);
  for (const [prefix, uri] of decls) out.push(` ${prefix ? `xmlns:${prefix}` : 'xmlns'}="${escapeAttr(uri)}"`);
  for (const a of el.attrs.length > 1 ? [...el.attrs].sort(compareAttrs) : el.attrs) out.push(` ${qname(a)}="${escapeAttr(a.value)}"`);
  out.push('>');
  for (const child of el.children) {
    if (child.kind === 'text') out.push(escapeText(child.value));
    else if (!skip?.(child)) c14nElement(child, mine, out, skip);
  }
  out.push(`</${name}>`);
}

/**
 * Exclusive c14n (without comments, empty InclusiveNamespaces PrefixList) of the subtree rooted at
 * `apex`. `skip` drops descendant elements (the enveloped-signature transform).
 */
export function excC14n(apex: XElement, skip?: (el: XElement) => boolean): string {
  const out: string[] = [];
  c14nElement(apex, new Map(), out, skip);
  return out.join('');
}
