import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';
import {
  edxmlBadBase64, edxmlDoctypeRefused, edxmlEntityRefused, edxmlHeaderTooLarge, edxmlMalformed, edxmlNotEdxml,
  edxmlUnsupportedEncoding,
} from './edxml.errors.ts';
import type { ScanEvent } from './edxml.scan.ts';
import { EDXML_NS, XMLNS_NS, type XAttr, type XElement } from './edxml.xml.ts';

/**
 * The SAX layer of the edXML parser. saxes (no DTD support at all) reads the text; this layer keeps the
 * small edXMLEnvelope as a tree, refuses DOCTYPE/entities, and turns every
 * `Attachment/ContentTransferEncoded` into a stream of decoded bytes without ever holding it whole.
 */

/** Receives one attachment's decoded bytes. */
export type AttachmentStream = { data: (bytes: Buffer) => void; end: () => void };

export type SaxCallbacks = {
  /** Called when edXMLEnvelope closes; returns whether the rest of the document must be kept as a tree. */
  onEnvelope: (envelope: XElement, root: XElement) => { keepDocument: boolean };
  /** Called when an attachment's content starts; `fields` are its child elements read so far. */
  openAttachment: (fields: Record<string, string>, index: number) => AttachmentStream;
  /** Called when an Attachment element closes, with all its small fields. */
  closeAttachment: (fields: Record<string, string>, index: number) => void;
};

export type SaxLimits = { maxHeaderChars: number; maxDocumentChars: number; maxDepth: number };

type Frame = { local: string; uri: string; el?: XElement };

// saxes accumulates character data until the next markup; a 200 MB base64 text would be buffered
// whole. Between writes we take what it has accumulated (only in plain text or CDATA states).
const S_TEXT = 13;
const S_CDATA = 20;
type SaxesInternals = { text: string; state: number };
const START_OF_CONTENT = /<(?:[A-Za-z_][\w.-]*:)?ContentTransferEncoded(?:\s[^>]*)?>/;

function toAttrs(attributes: Record<string, SaxesAttributeNS>): { attrs: XAttr[]; ns: Record<string, string> } {
  const attrs: XAttr[] = [];
  const ns: Record<string, string> = {};
  for (const key in attributes) {
    const a = attributes[key] as SaxesAttributeNS;
    if (a.uri === XMLNS_NS) ns[a.prefix === 'xmlns' ? a.local : ''] = a.value;
    else attrs.push({ prefix: a.prefix, local: a.local, uri: a.uri, value: a.value });
  }
  return { attrs, ns };
}

function makeBase64Decoder(out: AttachmentStream) {
  let carry = '';
  let padded = false;
  /**
   * Plain base64 without padding or line breaks, the bulk of an attachment, decoded without a regular
   * expression over it and without joining it to the carried characters. Node's decoder skips what is
   * not base64, reads the URL-safe '-' and '_' as digits and a character above U+00FF by its low byte:
   * text without '-' or '_', only ASCII (its UTF-8 length is its length), whose whole groups decode to
   * exactly 3 bytes per 4 characters, is base64 throughout. The group the carried characters start is
   * decoded first, then the rest of the whole groups, into one buffer; the characters left over (< 4)
   * are checked and carried. Anything else — whitespace, '=', a bad character — takes the checks below.
   */
  const writePlain = (text: string): boolean => {
    if (text.length < 256 || text.includes('=') || text.includes('\n') || text.includes('-') || text.includes('_')) return false;
    if (Buffer.byteLength(text, 'utf8') !== text.length) return false;
    return writeGroups(text, 0);
  };
  /**
   * Decodes ASCII text that has no '-', '_' or '=' but its last `pad` (0–2) characters: its whole groups
   * (the carried group first), which must give exactly 3 bytes per 4 characters (less the padding), and
   * carries the characters left over (< 4; none when padded). False, having done nothing, otherwise.
   */
  const writeGroups = (text: string, pad: number): boolean => {
    const first = carry ? 4 - carry.length : 0; // characters of this text that complete the carried group
    const end = text.length - ((carry.length + text.length) % 4);
    if (end < first || (pad > 0 && end !== text.length)) return false;
    const rest = text.slice(end);
    if (!/^[A-Za-z0-9+/]*$/.test(rest)) return false;
    const bytes = Buffer.allocUnsafe(((carry.length + end) / 4) * 3 - pad);
    let written = first > 0 ? bytes.write(carry + text.slice(0, first), 0, 'base64') : 0;
    written += bytes.write(first > 0 ? text.slice(first, end) : end === text.length ? text : text.slice(0, end), written, 'base64');
    if (written !== bytes.length) return false;
    if (bytes.length > 0) out.data(bytes);
    carry = rest;
    if (pad > 0) padded = true;
    return true;
  };
  const decoder = {
    /**
     * ASCII base64 taken from the package's bytes (the fast scanner's 'ascii' events: no '&', no CR), the
     * characters checked in the bytes; what `writeGroups` does not take goes to `write` as its text.
     */
    writeAscii(bytes: Buffer) {
      const text = bytes.toString('latin1');
      if (!padded && bytes.indexOf(0x2d /* - */) < 0 && bytes.indexOf(0x5f /* _ */) < 0) {
        const eq = bytes.indexOf(0x3d /* = */);
        const pad = eq < 0 ? 0 : bytes.length - eq; // '=' only as the last one or two characters:
        if ((pad === 0 || (pad <= 2 && bytes[bytes.length - 1] === 0x3d)) && writeGroups(text, pad)) return;
      }
      decoder.write(text);
    },
    write(text: string) {
      if (!padded && writePlain(text)) return;
      const clean = text.replace(/[\s]+/g, '');
      if (clean === '') return;
      if (!/^[A-Za-z0-9+/=]*$/.test(clean) || (padded && /[^=]/.test(clean))) throw edxmlBadBase64();
      if (clean.includes('=')) {
        padded = true;
        if (/=[^=]/.test(clean)) throw edxmlBadBase64();
      }
      const all = carry + clean;
      const whole = all.length - (all.length % 4);
      if (whole > 0) out.data(Buffer.from(all.slice(0, whole), 'base64'));
      carry = all.slice(whole);
    },
    end() {
      if (carry.replace(/=+$/, '').length === 1) throw edxmlBadBase64();
      if (carry) out.data(Buffer.from(carry, 'base64'));
      out.end();
    },
  };
  return decoder;
}

/** Creates the SAX layer; `write` takes decoded text, `close` ends the document. */
export function createEdxmlSax(callbacks: SaxCallbacks, limits: SaxLimits) {
  const stack: Frame[] = [];
  let root: XElement | undefined;
  let inEnvelope = false;
  let sawEnvelope = false;
  let keepDocument = false;
  let headerChars = 0;
  let documentChars = 0;
  let attachmentIndex = -1;
  let attachmentFields: Record<string, string> = {};
  let fieldText: string | undefined;
  let decoder: ReturnType<typeof makeBase64Decoder> | undefined;
  let failure: unknown;

  const count = (n: number) => {
    if (inEnvelope && (headerChars += n) > limits.maxHeaderChars) throw edxmlHeaderTooLarge();
    if (!inEnvelope && keepDocument && root && (documentChars += n) > limits.maxDocumentChars) {
      keepDocument = false;
      root = undefined; // too big to keep: a whole-document signature reference then cannot be checked
      for (const f of stack) f.el = undefined;
    }
  };

  const appendText = (text: string) => {
    const top = stack[stack.length - 1];
    if (fieldText !== undefined) {
      fieldText += text;
      if (fieldText.length > 65536) throw edxmlHeaderTooLarge();
    }
    if (decoder) decoder.write(text);
    if (!top?.el) return;
    count(text.length);
    if (!top?.el) return;
    const last = top.el.children[top.el.children.length - 1];
    if (last?.kind === 'text') last.value += text;
    else top.el.children.push({ kind: 'text', value: text });
  };

  /** ASCII text given as bytes (the fast scanner's attachment base64): straight to the decoder when that is all it is for. */
  const appendAscii = (bytes: Buffer) => {
    if (decoder && fieldText === undefined && !stack[stack.length - 1]?.el) decoder.writeAscii(bytes);
    else appendText(bytes.toString('latin1'));
  };

  const onOpen = (tag: SaxesTagNS) => {
    const parent = stack[stack.length - 1];
    const local = tag.local;
    const uri = tag.uri;
    if (!parent) {
      if (uri !== EDXML_NS || (local !== 'edXML' && local !== 'edXMLEnvelope')) throw edxmlNotEdxml({ root: tag.name });
    }
    if (stack.length >= limits.maxDepth) throw edxmlHeaderTooLarge({ depth: stack.length });
    const { attrs, ns } = toAttrs(tag.attributes as Record<string, SaxesAttributeNS>);
    const isEnvelope = local === 'edXMLEnvelope' && uri === EDXML_NS && !sawEnvelope;
    if (isEnvelope) inEnvelope = true;
    // The envelope is always kept (attachments inside it are streamed, not kept); after it, the rest of
    // the document only when a whole-document signature reference needs it.
    const capture = !parent || (parent.el !== undefined && (inEnvelope ? local !== 'AttachmentEncoded' : keepDocument));
    const el: XElement | undefined = capture ? { kind: 'element', prefix: tag.prefix, local, uri, attrs, ns, children: [] } : undefined;
    if (el) {
      let chars = tag.name.length * 2 + 5;
      for (const a of attrs) chars += a.local.length + a.value.length + 4;
      count(chars);
    }
    if (!parent) root = el;
    else if (el) parent.el?.children.push(el);
    stack.push({ local, uri, el });
    if (local === 'Attachment' && stack.some((f) => f.local === 'AttachmentEncoded')) {
      attachmentIndex += 1;
      attachmentFields = {};
    } else if (attachmentIndex >= 0 && parent?.local === 'Attachment') {
      if (local === 'ContentTransferEncoded') decoder = makeBase64Decoder(callbacks.openAttachment(attachmentFields, attachmentIndex));
      else fieldText = '';
    }
  };

  const onClose = () => {
    const frame = stack.pop();
    if (!frame) return;
    const parent = stack[stack.length - 1];
    if (frame.local === 'edXMLEnvelope' && frame.uri === EDXML_NS && inEnvelope && frame.el && root) {
      inEnvelope = false;
      sawEnvelope = true;
      keepDocument = callbacks.onEnvelope(frame.el, root).keepDocument;
    } else if (frame.local === 'ContentTransferEncoded' && decoder) {
      decoder.end();
      decoder = undefined;
    } else if (parent?.local === 'Attachment' && fieldText !== undefined) {
      attachmentFields[frame.local] = fieldText;
      fieldText = undefined;
    } else if (frame.local === 'Attachment' && attachmentIndex >= 0) {
      callbacks.closeAttachment(attachmentFields, attachmentIndex);
    }
    if (stack.length === 0 && !sawEnvelope) throw edxmlNotEdxml({ reason: 'no edXMLEnvelope' });
  };

  const onDecl = (encoding: string | undefined) => {
    if (encoding && !/^utf-?8$/i.test(encoding)) throw edxmlUnsupportedEncoding({ encoding });
  };

  // saxes is made when first fed: a package the fast scanner reads never needs it.
  let saxes: { parser: SaxesParser; internals: SaxesInternals } | undefined;
  const makeParser = () => {
    const parser = new SaxesParser({ xmlns: true, position: false });
    parser.on('doctype', () => { throw edxmlDoctypeRefused(); });
    parser.on('xmldecl', (decl) => onDecl(decl.encoding));
    parser.on('opentag', onOpen);
    parser.on('closetag', onClose);
    parser.on('text', appendText);
    parser.on('cdata', appendText);
    parser.on('error', (e) => {
      failure ??= /entity/i.test(e.message) ? edxmlEntityRefused({ detail: e.message }) : edxmlMalformed({ detail: e.message });
    });
    return { parser, internals: parser as unknown as SaxesInternals };
  };

  const run = (step: () => void) => {
    step();
    if (failure) throw failure;
  };

  let scanned = false;
  let fed = false;

  return {
    /**
     * Gives the callbacks the events of the fast scanner (edxml.scan.ts) instead of feeding saxes with
     * `write`; one package is read one way or the other, never both.
     */
    replay(events: readonly ScanEvent[]) {
      if (fed) throw new Error('replay after write');
      scanned = true;
      for (const e of events) {
        if (e.kind === 'open') onOpen(e.tag);
        else if (e.kind === 'close') onClose();
        else if (e.kind === 'text') appendText(e.text);
        else if (e.kind === 'ascii') appendAscii(e.bytes);
        else onDecl(e.encoding);
      }
    },
    /** True once the root element has started (a DOCTYPE can no longer appear). */
    get started() { return stack.length > 0 || sawEnvelope; },
    /** The document tree, when it was kept for a whole-document signature and stayed under the limit. */
    get document() { return keepDocument ? root : undefined; },
    write(text: string) {
      if (scanned) throw new Error('write after replay');
      fed = true;
      saxes ??= makeParser();
      const { parser, internals } = saxes;
      let rest = text;
      while (rest) {
        // Fast path: inside ContentTransferEncoded, plain character data up to the next markup or
        // reference goes straight to the decoder instead of through saxes' per-character loop. saxes
        // stays in its text state with nothing pending, exactly as if it had consumed that text.
        if (decoder && internals.state === S_TEXT && internals.text === '') {
          const stop = rest.search(/[<&]/);
          const plain = stop < 0 ? rest : rest.slice(0, stop);
          if (plain) appendText(plain.includes('\r') ? plain.replace(/\r\n?/g, '\n') : plain);
          rest = stop < 0 ? '' : rest.slice(stop);
          if (!rest) break;
        }
        // saxes reads up to the end of the next ContentTransferEncoded start tag, so that the base64
        // after it, in this same chunk, takes the fast path above.
        const start = START_OF_CONTENT.exec(rest);
        const cut = start ? start.index + start[0].length : rest.length;
        const part = rest.slice(0, cut);
        rest = rest.slice(cut);
        run(() => parser.write(part));
      }
      if ((internals.state === S_TEXT || internals.state === S_CDATA) && internals.text.length > 0 && (decoder || fieldText !== undefined || stack[stack.length - 1]?.el)) {
        const pending = internals.text;
        internals.text = '';
        appendText(pending);
      }
    },
    close() {
      if (!scanned) {
        const { parser } = saxes ??= makeParser();
        run(() => parser.close());
      }
      if (!sawEnvelope) throw edxmlNotEdxml({ reason: 'no edXMLEnvelope' });
    },
  };
}
