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
  return node.kind === 'text' ? escapeText(node.value) : serializeElement(node);
}

// One string built along the tree: a template and an array per element cost more than the envelope's text.
function serializeElement(el: XElement): string {
  const name = qname(el);
  let out = `<${name}`;
  for (const prefix in el.ns) out += ` ${prefix ? `xmlns:${prefix}` : 'xmlns'}="${escapeAttr(el.ns[prefix] as string)}"`;
  for (const a of el.attrs) out += ` ${qname(a)}="${escapeAttr(a.value)}"`;
  if (el.children.length === 0) return `${out}/>`;
  out += '>';
  for (const child of el.children) out += child.kind === 'text' ? escapeText(child.value) : serializeElement(child);
  return `${out}</${name}>`;
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

/** Whether a namespace an element utilizes must be declared on it, given what its ancestors rendered. */
function needsDeclaration(rendered: Map<string, string>, prefix: string, uri: string): boolean {
  // An unqualified element under a rendered non-empty default namespace must undeclare it.
  if (prefix === '' && uri === '') return (rendered.get('') ?? '') !== '';
  return rendered.get(prefix) !== uri;
}

/** The declarations exc-c14n renders on `el`, sorted by prefix (none, without allocating, in the common case). */
function declarationsOf(el: XElement, rendered: Map<string, string>): [string, string][] | undefined {
  let prefixedAttr = false;
  for (const a of el.attrs) if (a.prefix && a.prefix !== 'xml') prefixedAttr = true;
  if (!prefixedAttr) return needsDeclaration(rendered, el.prefix, el.uri) ? [[el.prefix, el.uri]] : undefined;
  const decls: [string, string][] = [];
  for (const [prefix, uri] of utilizedNamespaces(el)) if (needsDeclaration(rendered, prefix, uri)) decls.push([prefix, uri]);
  return decls.length > 0 ? decls.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) : undefined;
}

function c14nElement(el: XElement, rendered: Map<string, string>, skip?: (el: XElement) => boolean): string {
  const decls = declarationsOf(el, rendered);
  // What the children see differs from the parent's only by what this element declares.
  let mine = rendered;
  const name = qname(el);
  let out = `<${name}`;
  if (decls) {
    mine = new Map(rendered);
    for (const [prefix, uri] of decls) {
      mine.set(prefix, uri);
      out += ` ${prefix ? `xmlns:${prefix}` : 'xmlns'}="${escapeAttr(uri)}"`;
    }
  }
  for (const a of el.attrs.length > 1 ? [...el.attrs].sort(compareAttrs) : el.attrs) out += ` ${qname(a)}="${escapeAttr(a.value)}"`;
  out += '>';
  for (const child of el.children) {
    if (child.kind === 'text') out += escapeText(child.value);
    else if (!skip?.(child)) out += c14nElement(child, mine, skip);
  }
  return `${out}</${name}>`;
}

/**
 * Exclusive c14n (without comments, empty InclusiveNamespaces PrefixList) of the subtree rooted at
 * `apex`. `skip` drops descendant elements (the enveloped-signature transform).
 */
export function excC14n(apex: XElement, skip?: (el: XElement) => boolean): string {
  return c14nElement(apex, new Map(), skip);
}
