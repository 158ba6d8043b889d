import type { SaxesAttributeNS, SaxesTagNS } from 'saxes';
import { XMLNS_NS } from './edxml.xml.ts';

/**
 * A fast, strict scanner for the plain XML that edXML packages are made of (ours and the SDKs'): an XML
 * declaration, elements with namespaces and quoted attributes, text with the five predefined entities
 * and character references. It gives the same events saxes would, or `undefined` as soon as it meets
 * anything else — a comment, CDATA, a processing instruction, a DOCTYPE, another entity, a non-ASCII
 * name, a CR or a tab in an attribute, a character XML forbids, a tag that does not close, an unbound
 * prefix —, and then the caller lets saxes read the package: saxes decides what is well-formed, this
 * scanner only takes the common case off its per-character loop. It calls nothing itself: it returns
 * events, which the caller replays once it knows saxes will not be needed — after the whole package
 * for a parse (its callbacks write attachments), chunk by chunk for a header read (which can start
 * over with saxes, its callbacks only building the envelope).
 */

export type ScanEvent =
  | { kind: 'decl'; encoding: string | undefined }
  | { kind: 'open'; tag: SaxesTagNS; selfClosing: boolean }
  | { kind: 'close' }
  | { kind: 'text'; text: string }
  /**
   * Attachment base64 taken from the package's bytes without making it text: ASCII without '&' or CR
   * (so its text would be these characters, and the scanner would hand it over as it is), only ever
   * where the scanner is inside a ContentTransferEncoded with nothing held back (`inRawText`).
   */
  | { kind: 'ascii'; bytes: Buffer };

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const NAME = '[A-Za-z_][A-Za-z0-9._-]*(?::[A-Za-z_][A-Za-z0-9._-]*)?';
const S = '[ \\t\\n\\r]';
const DECL = new RegExp(`<\\?xml${S}+version${S}*=${S}*(?:"1\\.0"|'1\\.0')`
  + `(?:${S}+encoding${S}*=${S}*(?:"([A-Za-z][A-Za-z0-9._-]*)"|'([A-Za-z][A-Za-z0-9._-]*)'))?`
  + `(?:${S}+standalone${S}*=${S}*(?:"(?:yes|no)"|'(?:yes|no)'))?${S}*\\?>`, 'y');
const ATTR = new RegExp(`${S}+(${NAME})${S}*=${S}*(?:"([^"<\\t\\n\\r]*)"|'([^'<\\t\\n\\r]*)')`, 'y');
const TAG_END = new RegExp(`${S}*(/?)>`, 'y');
const CLOSE = new RegExp(`</(${NAME})${S}*>`, 'y');
const SPACES = new RegExp(`${S}*`, 'y');
const PARTIAL_TAG = /^<\/?(?:[A-Za-z_][A-Za-z0-9._:-]*)?$/;
// Characters XML 1.0 allows, without the astral planes (a surrogate sends the package to saxes).
const BAD_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD]/;
// Text saxes must judge: a CR (line ends are normalised), "]]>", or a character BAD_CHAR refuses.
const NOT_PLAIN_TEXT = /[^\t\n\x20-\uD7FF\uE000-\uFFFD]|\]\]>/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** Replaces entity and character references; undefined for anything saxes would have to judge. */
function unescape(s: string): string | undefined {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let from = 0;
  while (amp >= 0) {
    const semi = s.indexOf(';', amp);
    if (semi < 0) return undefined;
    const ref = s.slice(amp + 1, semi);
    let ch = PREDEFINED[ref];
    if (ch === undefined) {
      const cp = /^#[0-9]{1,7}$/.test(ref) ? parseInt(ref.slice(1), 10) : /^#x[0-9A-Fa-f]{1,6}$/.test(ref) ? parseInt(ref.slice(2), 16) : NaN;
      if (!isXmlChar(cp)) return undefined;
      ch = String.fromCodePoint(cp);
    }
    out += s.slice(from, amp) + ch;
    from = semi + 1;
    amp = s.indexOf('&', from);
  }
  return out + s.slice(from);
}

function splitName(name: string): { prefix: string; local: string } {
  const i = name.indexOf(':');
  return i < 0 ? { prefix: '', local: name } : { prefix: name.slice(0, i), local: name.slice(i + 1) };
}

type Scope = { name: string; ns: Map<string, string> };

/**
 * Which text goes to an attachment's base64 decoder (the SAX layer hands it over without saxes'
 * character checks; the decoder refuses what is not base64): the same rule as edxml.sax.ts, where a
 * decoder starts at a ContentTransferEncoded child of an Attachment once an Attachment has been seen
 * inside AttachmentEncoded, and ends when that ContentTransferEncoded closes.
 */
function rawTextTracker() {
  let attachmentSeen = false;
  let raw = false;
  return {
    get raw() { return raw; },
    open(local: string, ancestors: readonly string[]) {
      if (local === 'Attachment' && ancestors.includes('AttachmentEncoded')) attachmentSeen = true;
      else if (attachmentSeen && ancestors[ancestors.length - 1] === 'Attachment' && local === 'ContentTransferEncoded') raw = true;
    },
    close(local: string) {
      if (local === 'ContentTransferEncoded') raw = false;
    },
  };
}

/** [A-Za-z_] (first) or [A-Za-z0-9._-] (the rest) of NAME's parts. */
function isNameCode(c: number, first: boolean): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || (!first && ((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d));
}

/** The end of the NAME (as the regular expression reads it, greedily) starting at `at`; `at` when there is none. */
function nameEnd(text: string, at: number): number {
  if (!isNameCode(text.charCodeAt(at), true)) return at;
  let i = at + 1;
  while (isNameCode(text.charCodeAt(i), false)) i++;
  if (text.charCodeAt(i) !== 0x3a /* : */ || !isNameCode(text.charCodeAt(i + 1), true)) return i;
  i += 2;
  while (isNameCode(text.charCodeAt(i), false)) i++;
  return i;
}

/** Reads one open tag at `at` (a '<' before a name); undefined when saxes must judge it. */
function openTag(text: string, at: number, parent: Map<string, string>): { tag: SaxesTagNS; selfClosing: boolean; end: number; ns: Map<string, string> } | undefined {
  let pos = nameEnd(text, at + 1);
  if (pos === at + 1) return undefined;
  const name = text.slice(at + 1, pos);
  const list: SaxesAttributeNS[] = [];
  let ns = parent;
  // Most tags have no attribute: '>' or '/>' right after the name.
  const bare = text.charCodeAt(pos) === 0x3e || text.charCodeAt(pos) === 0x2f;
  while (!bare) {
    ATTR.lastIndex = pos;
    const a = ATTR.exec(text);
    if (!a) break;
    pos = ATTR.lastIndex;
    const value = unescape(a[2] ?? a[3] ?? '');
    if (value === undefined || BAD_CHAR.test(value)) return undefined;
    const qname = a[1] as string;
    const { prefix, local } = splitName(qname);
    if (qname === 'xmlns' || prefix === 'xmlns') {
      const declared = prefix === 'xmlns' ? local : '';
      if (declared === 'xml' || declared === 'xmlns' || value === XML_NS || value === XMLNS_NS || (declared !== '' && value === '')) return undefined;
      if (ns === parent) ns = new Map(parent);
      ns.set(declared, value);
    }
    list.push({ name: qname, prefix, local, uri: '', value });
  }
  // Most tags end right there: '>' (or '/>') without spaces.
  let selfClosing: boolean;
  if (text.charCodeAt(pos) === 0x3e) {
    selfClosing = false;
    pos += 1;
  } else {
    TAG_END.lastIndex = pos;
    const close = TAG_END.exec(text);
    if (!close) return undefined;
    selfClosing = close[1] === '/';
    pos = TAG_END.lastIndex;
  }
  const { prefix, local } = splitName(name);
  if (prefix === 'xmlns') return undefined;
  const uri = prefix === 'xml' ? XML_NS : ns.get(prefix) ?? '';
  if (prefix !== '' && uri === '') return undefined;
  const attributes: Record<string, SaxesAttributeNS> = {};
  const seen = list.length > 1 ? new Set<string>() : undefined;
  for (const attr of list) {
    let key = attr.name;
    if (attr.prefix === '') attr.uri = attr.name === 'xmlns' ? XMLNS_NS : '';
    else {
      const u = attr.prefix === 'xmlns' ? XMLNS_NS : attr.prefix === 'xml' ? XML_NS : ns.get(attr.prefix);
      if (!u) return undefined;
      attr.uri = u;
      key = `{${u}}${attr.local}`;
    }
    if (seen?.has(key) || attributes[attr.name] !== undefined) return undefined;
    seen?.add(key);
    attributes[attr.name] = attr;
  }
  const tag = { name, prefix, local, uri, attributes, ns: {}, isSelfClosing: selfClosing } as unknown as SaxesTagNS;
  return { tag, selfClosing, end: pos, ns };
}

/** Text between two tags as saxes would report it, or undefined. */
function textEvent(raw: string, rawText: boolean): string | undefined {
  if (rawText) {
    if (raw.includes('&')) return undefined;
    return raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  }
  return NOT_PLAIN_TEXT.test(raw) ? undefined : unescape(raw);
}

// A piece of markup or text held back for the next piece longer than this sends the package to saxes.
const MAX_CARRY = 64 * 1024;
// Deeper nesting goes to saxes (which refuses depth beyond the SAX layer's limit as it reads).
const MAX_DEPTH = 256;

/**
 * A scanner fed the package's text piece by piece (pieces of any size, cut anywhere). `push` returns
 * the events of the complete tokens so far (undefined: saxes must read this package); at the end of
 * the input `end` says whether the document was complete; where reading stops early (a header read),
 * `stopsCleanly` says whether what is held back is something saxes would not have refused either.
 */
export function createScanner() {
  const stack: Scope[] = [];
  const locals: string[] = []; // the open elements' local names (the stack's), as rawTextTracker reads them
  const raw = rawTextTracker();
  const rootNs = new Map<string, string>();
  let rootClosed = false;
  let prolog = true;
  let carry = '';

  function push(piece: string): ScanEvent[] | undefined {
    const text = carry + piece;
    carry = '';
    const events: ScanEvent[] = [];
    let pos = 0;
    if (prolog) {
      if (text.length < 5 && '<?xml'.startsWith(text)) {
        carry = text;
        return events;
      }
      if (text.startsWith('<?xml')) {
        DECL.lastIndex = 0;
        const decl = DECL.exec(text);
        if (!decl) {
          if (text.includes('?>')) return undefined;
          carry = text;
          return text.length > MAX_CARRY ? undefined : events;
        }
        events.push({ kind: 'decl', encoding: decl[1] ?? decl[2] });
        pos = DECL.lastIndex;
      }
      prolog = false;
    }
    while (pos < text.length) {
      const lt = text.indexOf('<', pos);
      const end = lt < 0 ? text.length : lt;
      if (stack.length === 0 && end > pos) {
        SPACES.lastIndex = pos;
        SPACES.exec(text);
        if (SPACES.lastIndex !== end) return undefined;
      } else if (lt < 0 && !raw.raw) {
        carry = text.slice(pos); // text may go on in the next piece: judged whole
        break;
      } else if (end > pos) {
        // Raw (base64) text is handed over as it comes, except a last CR that may start a CRLF.
        const cut = lt < 0 && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
        const value = textEvent(text.slice(pos, cut), raw.raw);
        if (value === undefined) return undefined;
        if (value) events.push({ kind: 'text', text: value });
        if (cut < end) carry = '\r';
      }
      if (lt < 0) break;
      const next = text.charCodeAt(lt + 1);
      if (next === 0x21 /* ! */ || next === 0x3f /* ? */) return undefined;
      if (next === 0x2f /* / */) {
        // Most end tags are '</' + the open element's name + '>', which is what CLOSE would match.
        const open = stack[stack.length - 1];
        let after = open && text.startsWith(open.name, lt + 2) && text.charCodeAt(lt + 2 + open.name.length) === 0x3e ? lt + 3 + open.name.length : -1;
        if (after < 0) {
          CLOSE.lastIndex = lt;
          const m = CLOSE.exec(text);
          if (!m) {
            carry = text.slice(lt); // cut by the end of the piece, or refused at the end
            break;
          }
          if (!open || open.name !== m[1]) return undefined;
          after = CLOSE.lastIndex;
        }
        stack.pop();
        raw.close(locals.pop() ?? '');
        events.push({ kind: 'close' });
        if (stack.length === 0) rootClosed = true;
        pos = after;
        continue;
      }
      if (rootClosed) return undefined;
      const open = openTag(text, lt, stack[stack.length - 1]?.ns ?? rootNs);
      if (!open) {
        carry = text.slice(lt);
        break;
      }
      events.push({ kind: 'open', tag: open.tag, selfClosing: open.selfClosing });
      raw.open(open.tag.local, locals);
      if (open.selfClosing) {
        raw.close(open.tag.local);
        events.push({ kind: 'close' });
        if (stack.length === 0) rootClosed = true;
      } else {
        if (stack.length >= MAX_DEPTH) return undefined;
        stack.push({ name: open.tag.name, ns: open.ns });
        locals.push(open.tag.local);
      }
      pos = open.end;
    }
    return carry.length > MAX_CARRY ? undefined : events;
  }

  return {
    push,
    /** Inside an attachment's base64 (a ContentTransferEncoded), with nothing held back: the next input is its text. */
    inRawText: () => raw.raw && carry === '' && !prolog,
    /** At the end of the input: the root element closed and nothing is left over. */
    end: () => rootClosed && carry === '' && !prolog,
    /** Reading stops here: what is held back is the start of a tag name, or plain text saxes would take. */
    stopsCleanly: () => carry === '' || (carry.startsWith('<') ? PARTIAL_TAG.test(carry)
      : !raw.raw && !carry.includes(']') && textEvent(carry, false) === carry),
  };
}
