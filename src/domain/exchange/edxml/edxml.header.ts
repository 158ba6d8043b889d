import { edxmlInvalidHeader } from './edxml.errors.ts';
import { childNamed, childrenNamed, EDXML_NS, textOf, xel, xtext, type XElement, type XNode } from './edxml.xml.ts';

/**
 * The mapping between header JSON (lowerCamelCase keys) and edXML elements, as ordered tables. The same
 * table writes (element order = table order, every element with the `edXML:` prefix) and reads (by
 * local name in any namespace, with the spelling variants foreign systems write: `Business`,
 * `OrganInCharge`, …; unknown elements are ignored).
 */

type Scalar = 'str' | 'int' | 'bool';
type Field =
  | { key: string; el: string; t: Scalar; alt?: string[] }
  | { key: string; el: string; t: 'obj' | 'objs'; spec: Spec; alt?: string[] }
  | { key: string; el: string; t: 'strs'; item: string; alt?: string[] }
  | { key: string; el: string; t: 'objList'; item: string; spec: Spec; alt?: string[] };
type Spec = Field[];
type Json = Record<string, unknown>;

const f = (key: string, el: string, t: Scalar, alt?: string[]): Field => ({ key, el, t, alt });

const ORGAN: Spec = [
  f('organId', 'OrganId', 'str'), f('organizationInCharge', 'OrganizationInCharge', 'str', ['OrganInCharge']),
  f('organName', 'OrganName', 'str'), f('organAdd', 'OrganAdd', 'str'), f('email', 'Email', 'str'),
  f('telephone', 'Telephone', 'str'), f('fax', 'Fax', 'str'), f('website', 'Website', 'str'),
];
const RESPONSE_FOR: Spec = [
  f('organId', 'OrganId', 'str'), f('code', 'Code', 'str'), f('promulgationDate', 'PromulgationDate', 'str'),
  f('documentId', 'DocumentId', 'str'),
];
const STAFF: Spec = [
  f('department', 'Department', 'str'), f('departmentId', 'DepartmentId', 'str'), f('staff', 'Staff', 'str'),
  f('staffId', 'StaffId', 'str'), f('email', 'Email', 'str'), f('mobile', 'Mobile', 'str'),
];
const TRACE: Spec = [f('organId', 'OrganId', 'str'), f('timestamp', 'Timestamp', 'str')];

const MESSAGE_HEADER: Spec = [
  { key: 'from', el: 'From', t: 'obj', spec: ORGAN },
  { key: 'to', el: 'To', t: 'objs', spec: ORGAN },
  f('documentId', 'DocumentId', 'str'),
  { key: 'code', el: 'Code', t: 'obj', spec: [f('codeNumber', 'CodeNumber', 'str'), f('codeNotation', 'CodeNotation', 'str')] },
  { key: 'promulgationInfo', el: 'PromulgationInfo', t: 'obj', spec: [f('place', 'Place', 'str'), f('promulgationDate', 'PromulgationDate', 'str')] },
  { key: 'documentType', el: 'DocumentType', t: 'obj', spec: [f('type', 'Type', 'int'), f('typeDetail', 'TypeDetail', 'int'), f('typeName', 'TypeName', 'str')] },
  f('subject', 'Subject', 'str'), f('content', 'Content', 'str'),
  { key: 'signerInfo', el: 'SignerInfo', t: 'obj', spec: [f('competence', 'Competence', 'str'), f('position', 'Position', 'str'), f('fullName', 'FullName', 'str')] },
  f('dueDate', 'DueDate', 'str'),
  { key: 'toPlaces', el: 'ToPlaces', t: 'strs', item: 'Place' },
  {
    key: 'otherInfo', el: 'OtherInfo', t: 'obj', spec: [
      f('priority', 'Priority', 'int'), f('sphereOfPromulgation', 'SphereOfPromulgation', 'str'),
      f('typerNotation', 'TyperNotation', 'str'), f('promulgationAmount', 'PromulgationAmount', 'int'),
      f('pageAmount', 'PageAmount', 'int'), { key: 'appendixes', el: 'Appendixes', t: 'strs', item: 'Appendix' },
      f('replyFors', 'ReplyFors', 'str'), f('referenceCodes', 'ReferenceCodes', 'str'), f('direction', 'Direction', 'bool'),
    ],
  },
  { key: 'responseFor', el: 'ResponseFor', t: 'objs', spec: RESPONSE_FOR },
  f('steeringType', 'SteeringType', 'int'),
  { key: 'responseForTask', el: 'ResponseForTask', t: 'obj', spec: [{ key: 'taskCode', el: 'TaskCode', t: 'strs', item: '' }] },
  f('applicationType', 'ApplicationType', 'str'),
];

const BUSSINESS: Spec = [
  f('bussinessDocType', 'BussinessDocType', 'int', ['BusinessDocType']),
  f('bussinessDocReason', 'BussinessDocReason', 'str', ['BusinessDocReason']),
  f('documentId', 'DocumentId', 'str'), f('paper', 'Paper', 'int'),
  { key: 'staffInfo', el: 'StaffInfo', t: 'objs', spec: STAFF },
  {
    key: 'bussinessDocumentInfo', el: 'BussinessDocumentInfo', t: 'obj', alt: ['BusinessDocumentInfo'], spec: [
      f('documentInfo', 'DocumentInfo', 'int'), f('documentReceiver', 'DocumentReceiver', 'int'),
      { key: 'receiverList', el: 'ReceiverList', t: 'objList', item: 'Receiver', spec: [f('organId', 'OrganId', 'str'), f('receiverType', 'ReceiverType', 'int')] },
    ],
  },
  {
    key: 'replacementInfoList', el: 'ReplacementInfoList', t: 'objList', item: 'ReplacementInfo', spec: [
      f('documentId', 'DocumentId', 'str'), { key: 'organIdList', el: 'OrganIdList', t: 'strs', item: 'OrganId' },
    ],
  },
];

export const TRACE_HEADER_LIST: Spec = [
  { key: 'traceHeader', el: 'TraceHeader', t: 'objs', spec: TRACE },
  { key: 'bussiness', el: 'Bussiness', t: 'obj', spec: BUSSINESS, alt: ['Business'] },
];

export const STATUS_MESSAGE_HEADER: Spec = [
  { key: 'responseFor', el: 'ResponseFor', t: 'obj', spec: RESPONSE_FOR },
  { key: 'from', el: 'From', t: 'obj', spec: ORGAN },
  f('statusCode', 'StatusCode', 'str'), f('description', 'Description', 'str'), f('timestamp', 'Timestamp', 'str'),
  { key: 'staffInfo', el: 'StaffInfo', t: 'obj', spec: STAFF },
];

export { MESSAGE_HEADER };

const ed = (name: string, children: XNode[] = []) => xel(`edXML:${name}`, EDXML_NS, children);

function scalarText(value: unknown): string {
  return typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
}

/** Writes `obj` as edXML elements in table order; absent keys write nothing. */
export function writeSpec(spec: Spec, obj: Json): XElement[] {
  const out: XElement[] = [];
  for (const field of spec) {
    const value = obj[field.key];
    if (value === undefined) continue;
    switch (field.t) {
      case 'str': case 'int': case 'bool':
        out.push(ed(field.el, [xtext(scalarText(value))]));
        break;
      case 'obj':
        out.push(ed(field.el, writeSpec(field.spec, value as Json)));
        break;
      case 'objs':
        for (const item of value as Json[]) out.push(ed(field.el, writeSpec(field.spec, item)));
        break;
      case 'strs': {
        const items = (value as string[]).map((s) => ed(field.item || field.el, [xtext(s)]));
        if (field.item) out.push(ed(field.el, items)); else out.push(...items);
        break;
      }
      case 'objList':
        out.push(ed(field.el, (value as Json[]).map((item) => ed(field.item, writeSpec(field.spec, item)))));
        break;
    }
  }
  return out;
}

function readScalar(t: Scalar, raw: string, path: string): unknown {
  if (t === 'str') return raw;
  const s = raw.trim();
  if (s === '') return undefined;
  if (t === 'bool') {
    if (/^(true|1)$/i.test(s)) return true;
    if (/^(false|0)$/i.test(s)) return false;
  } else if (/^[+-]?\d+$/.test(s)) return Number.parseInt(s, 10);
  throw edxmlInvalidHeader({ issues: [{ path, message: `Giá trị "${s}" không hợp lệ` }] });
}

function findAll(el: XElement, field: Field): XElement[] {
  const found = childrenNamed(el, field.el);
  return found.length > 0 || !field.alt ? found : field.alt.flatMap((alt) => childrenNamed(el, alt));
}

function readField(field: Field, found: XElement[], path: string): unknown {
  const first = found[0];
  if (!first) return undefined;
  switch (field.t) {
    case 'str': case 'int': case 'bool':
      return readScalar(field.t, textOf(first), path);
    case 'obj':
      return readSpec(field.spec, first, path);
    case 'objs':
      return found.map((e, i) => readSpec(field.spec, e, `${path}.${i}`));
    case 'strs':
      return field.item ? childrenNamed(first, field.item).map(textOf) : found.map(textOf);
    case 'objList':
      return childrenNamed(first, field.item).map((e, i) => readSpec(field.spec, e, `${path}.${i}`));
  }
}

/** Reads edXML elements into JSON by the table; keys of absent (or empty numeric) elements are omitted. */
export function readSpec(spec: Spec, el: XElement, path = ''): Json {
  const out: Json = {};
  for (const field of spec) {
    const value = readField(field, findAll(el, field), path ? `${path}.${field.key}` : field.key);
    if (value !== undefined) out[field.key] = value;
  }
  return out;
}

/** True when the MessageHeader is that of a status package (it carries StatusCode). */
export function isStatusMessageHeader(messageHeader: XElement): boolean {
  return childNamed(messageHeader, 'StatusCode') !== undefined;
}
