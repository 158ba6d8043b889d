/**
 * Issuing a document (ND 30/2020): the clerk's agency-seal signature, with the số/ký hiệu and the
 * place + date drawn at their anchors as locked /Stamp annotations (appearance from the
 * appearance helper's `issueNumberPreset`) in the SAME incremental update as the signature, so the
 * approval signature before it stays valid and the change is an annotation, not page content.
 */
import { findAnchor } from './appearance/appearance.anchor.ts';
import { attachmentStampPreset, copyStampPreset, issueNumberPreset } from './appearance/appearance.presets.ts';
import type { CopyKind } from './appearance/appearance.presets.ts';
import { openPdf } from './pdf/reader.ts';
import { pageSize } from './signing.placeholder.ts';
import type { AnchorBox } from './appearance/appearance.presets.ts';
import { signPdf } from './signing.pades.ts';
import type { SignPdfOptions } from './signing.pades.ts';
import type { BuiltAppearance, ExtraAnnotation } from './signing.placeholder.ts';
import { anchorNotFound } from './signing.errors.ts';

/** Where to write one text: a text anchor to find, or a known box on a page (0-based). */
export type IssueAnchor = string | (AnchorBox & { pageIndex: number });

/** Options of `issueDocument`: the seal signer and widget (SignPdfOptions) plus the number and date. */
export type IssueOptions = SignPdfOptions & {
  numberText: string;
  dateText: string;
  numberAnchor: IssueAnchor;
  dateAnchor: IssueAnchor;
  /** 'after' writes right after the anchor (e.g. "Số:"); 'over' whites out a placeholder and writes on it. */
  mode?: 'after' | 'over';
  fontSize?: number;
};

// The first annotation writes every new object of both texts (they may share a font); the second none.
function withAllObjects(both: { number: BuiltAppearance; date: BuiltAppearance }): BuiltAppearance {
  const objects = new Map([...both.number.objects, ...both.date.objects].map((o) => [o.num, o]));
  return { ...both.number, objects: [...objects.values()] };
}

async function locate(pdf: Uint8Array, anchor: IssueAnchor): Promise<AnchorBox & { pageIndex: number }> {
  if (typeof anchor !== 'string') return anchor;
  const found = await findAnchor(pdf, anchor);
  if (!found) throw anchorNotFound({ anchor });
  return found;
}

/**
 * Signs with the agency certificate and draws the number and date as annotations in the same
 * update. Throws `signing.anchor_not_found` and everything `signPdf` throws.
 */
export async function issueDocument(pdf: Uint8Array, options: IssueOptions): Promise<Uint8Array> {
  const { numberText, dateText, numberAnchor, dateAnchor, mode, fontSize, ...signOptions } = options;
  const [numberAt, dateAt] = [await locate(pdf, numberAnchor), await locate(pdf, dateAnchor)];
  let built: { number: BuiltAppearance; date: BuiltAppearance } | undefined;
  // The preset builds both texts with one allocator; the first annotation triggers it.
  const build = (allocate: () => number) => (built ??= issueNumberPreset({ numberText, dateText, numberAnchor: numberAt, dateAnchor: dateAt, mode, fontSize }, allocate));
  const annotations: ExtraAnnotation[] = [
    { page: numberAt.pageIndex, rect: [numberAt.x, numberAt.y, numberAt.width, numberAt.height], text: numberText, appearance: (a) => withAllObjects(build(a)) },
    { page: dateAt.pageIndex, rect: [dateAt.x, dateAt.y, dateAt.width, dateAt.height], text: dateText, appearance: (a) => ({ ...build(a).date, objects: [] }) },
  ];
  return signPdf(pdf, { ...signOptions, annotations: [...(signOptions.annotations ?? []), ...annotations] });
}

/**
 * Agency signature on an attachment or phụ lục in its own file (ND 30 Phụ lục I, Mục II.8.b): no
 * image; "Số và ký hiệu; ngày giờ ký (ISO 8601, +07:00)" top right of page 1, 10 pt, black.
 * Throws everything `signPdf` throws.
 */
export async function signAttachment(pdf: Uint8Array, options: SignPdfOptions & { numberText: string }): Promise<Uint8Array> {
  const { numberText, ...rest } = options;
  const signedAt = rest.signingTime ?? new Date();
  const page = pageSize(openPdf(pdf), 0);
  return signPdf(pdf, { ...rest, signingTime: signedAt, widget: { page: 0, rect: [0, 0, 0, 0], appearance: (a) => attachmentStampPreset({ number: numberText, signedAt, page }, a) } });
}

/**
 * Agency signature on an electronic copy (ND 30 Phụ lục I, Phần II, Mục I.3, ô 14): "SAO Y / SAO LỤC /
 * TRÍCH SAO; tên cơ quan sao; thời gian ký", top right of page 1, 10 pt, black. Throws what `signPdf` throws.
 */
export async function signCopy(pdf: Uint8Array, options: SignPdfOptions & { kind: CopyKind; agency: string }): Promise<Uint8Array> {
  const { kind, agency, ...rest } = options;
  const signedAt = rest.signingTime ?? new Date();
  const page = pageSize(openPdf(pdf), 0);
  return signPdf(pdf, { ...rest, signingTime: signedAt, widget: { page: 0, rect: [0, 0, 0, 0], appearance: (a) => copyStampPreset({ kind, agency, signedAt, page }, a) } });
}
