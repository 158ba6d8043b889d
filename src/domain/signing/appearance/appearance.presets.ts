import { appearanceInvalid, imageNotTransparent } from './appearance.errors.ts';
import { imageSize, prepareImage } from './appearance.image.ts';
import { buildSignatureAppearance } from './appearance.signature.ts';
import { buildTextAppearance, layoutText } from './appearance.text.ts';
import type { TextAppearanceOptions } from './appearance.text.ts';
import { formatSigningTime, formatVnDate, formatVnTime } from './appearance.time.ts';
import { MM } from './appearance.types.ts';
import type { Allocator, Box, PageSize, PlacedAppearance } from './appearance.types.ts';

/** ND 30 Phụ lục I, Mục I: page margins (we place stamps inside the strictest reading: right 20 mm). */
const RIGHT_MARGIN = 20 * MM;
const TOP_OFFSET = 8 * MM;
const STAMP_MAX_WIDTH = 95 * MM;
/** Default seal diameter when neither the options nor the PNG's pHYs give the real size. */
export const DEFAULT_SEAL_DIAMETER_MM = 36;

/** The decoded PNG of a signature or seal image (`what` names it in the message). Throws signing.image_invalid, signing.image_not_transparent. */
export function requireTransparent(png: Uint8Array, what: string) {
  const img = prepareImage(png);
  if (!img.hasTransparency) {
    throw imageNotTransparent({ what }, { message: `Ảnh ${what} phải là tệp PNG nền trong suốt (Nghị định 30/2020/NĐ-CP, Phụ lục I).` });
  }
  return img;
}

export type SignerPresetOptions = {
  /** The signer's signature: blue, transparent PNG (ND 30 Phụ lục I, Mục II, khoản 7.d). */
  png: Uint8Array;
  /** Box of the signer's name (ô 7b), e.g. from findAnchor. */
  nameBox: Box;
  /** Box of the position line above (ô 7a), when known: the image is centred in the gap between them. */
  positionBox?: Box;
  /** Preferred image height in points (default 22 mm) and maximum width (default 60 mm). */
  height?: number;
  maxWidth?: number;
};

/**
 * Signer image at ô 7c: centred horizontally on the name, vertically between position and name.
 * Throws signing.image_invalid, signing.image_not_transparent, signing.appearance_invalid.
 */
export function signerPreset(o: SignerPresetOptions, alloc: Allocator): PlacedAppearance {
  const img = requireTransparent(o.png, 'chữ ký');
  const nameTop = o.nameBox.y + o.nameBox.height;
  const gap = o.positionBox ? o.positionBox.y - nameTop : undefined;
  if (gap !== undefined && gap < 6) throw appearanceInvalid({ gap }, { message: 'Không đủ chỗ giữa chức vụ và họ tên người ký để đặt hình ảnh chữ ký.' });
  let height = Math.min(o.height ?? 22 * MM, gap === undefined ? Infinity : gap - 4);
  let { width } = imageSize(img, undefined, height);
  const maxWidth = o.maxWidth ?? 60 * MM;
  if (width > maxWidth) ({ width, height } = imageSize(img, maxWidth));
  const centres = [o.nameBox, ...(o.positionBox ? [o.positionBox] : [])].map((b) => b.x + b.width / 2);
  const cx = centres.reduce((a, b) => a + b, 0) / centres.length;
  const y = gap === undefined ? nameTop + 3 : nameTop + (gap - height) / 2;
  const ap = buildSignatureAppearance({ width, height, layout: 'image', image: { png: o.png } }, alloc);
  return { ...ap, rect: { x: cx - width / 2, y, width, height } };
}

export type SealPresetOptions = {
  /** The agency seal: red, real size, transparent PNG (khoản 8.a). */
  png: Uint8Array;
  /** Where the signer image went (signerPreset().rect): the seal covers its left third. */
  signerRect: Box;
  /** Real seal diameter; default: the PNG's pHYs size, else 36 mm. */
  diameterMm?: number;
  /** Optional line some provinces require (TT 01/2019/TT-BNV practice): agency name and signing time. */
  info?: { agency: string; signedAt: Date; fontSize?: number; color?: string };
};

/**
 * Seal image at ô 8, real size, its right edge at one third of the signer image, centred on it
 * vertically; with `info`, the agency name and time go under the seal in the same widget.
 * Throws signing.image_invalid, signing.image_not_transparent, signing.font_missing_glyph.
 */
export function sealPreset(o: SealPresetOptions, alloc: Allocator): PlacedAppearance {
  const img = requireTransparent(o.png, 'con dấu');
  const natural = o.diameterMm === undefined ? img.naturalSize : null;
  const side = o.diameterMm !== undefined ? o.diameterMm * MM : undefined;
  const size = natural ?? imageSize(img, undefined, side ?? DEFAULT_SEAL_DIAMETER_MM * MM);
  const right = o.signerRect.x + o.signerRect.width / 3;
  const cy = o.signerRect.y + o.signerRect.height / 2;
  const sealBox: Box = { x: right - size.width, y: cy - size.height / 2, width: size.width, height: size.height };
  if (!o.info) {
    const ap = buildSignatureAppearance({ width: size.width, height: size.height, layout: 'image', image: { png: o.png } }, alloc);
    return { ...ap, rect: sealBox };
  }
  const fontSize = o.info.fontSize ?? 7;
  const lines = [o.info.agency, `Thời gian ký: ${formatSigningTime(o.info.signedAt)}`];
  const textHeight = lines.length * fontSize * 1.15 + 8;
  const width = Math.max(size.width, 48 * MM);
  const height = size.height + textHeight;
  const ap = buildSignatureAppearance({
    width, height, layout: 'image-top', imageShare: size.height / height, image: { png: o.png }, lines,
    text: { fontSize, align: 'center', valign: 'top', color: o.info.color ?? '#000000', padding: 1 },
  }, alloc);
  const rect = { x: sealBox.x + sealBox.width / 2 - width / 2, y: sealBox.y - textHeight, width, height };
  return { ...ap, rect };
}

/** NBSP keeps "dd/MM/yyyy; HH:mm:ss +07:00" on one line when a long stamp wraps (drawn as a plain space). */
const KEEP = '\u00a0';

function topRightStamp(parts: string[], page: PageSize, alloc: Allocator): PlacedAppearance {
  const text = parts.join('; ');
  const natural = layoutText({ lines: [text], fontSize: 10, padding: 1 });
  const width = Math.min(natural.width, STAMP_MAX_WIDTH);
  const ap = buildTextAppearance({ lines: [text], fontSize: 10, align: 'right', valign: 'top', padding: 1, width, color: '#000000', minFontSize: 10 }, alloc);
  const rect = { x: page.width - RIGHT_MARGIN - ap.width, y: page.height - TOP_OFFSET - ap.height, width: ap.width, height: ap.height };
  return { ...ap, rect };
}

function stampTime(date: Date): string {
  return `${formatVnDate(date)};${KEEP}${formatVnTime(date).replace(/ /g, KEEP)}`;
}

/**
 * Agency stamp for an attachment / phụ lục in a separate file (khoản 8.b, Mục III.1.d; Mẫu 2.2):
 * "Số: 15/QĐ-UBND; 05/03/2026; 14:30:05 +07:00", Times-compatible, 10 pt, upright, black, top right of page 1.
 * Throws signing.font_missing_glyph.
 */
export function attachmentStampPreset(o: { number: string; signedAt: Date; page: PageSize }, alloc: Allocator): PlacedAppearance {
  const number = o.number.trim().replace(/^Số:\s*/i, '');
  return topRightStamp([`Số: ${number}`, stampTime(o.signedAt)], o.page, alloc);
}

export type CopyKind = 'SAO Y' | 'SAO LỤC' | 'TRÍCH SAO';

/**
 * Agency stamp for an electronic copy at ô 14 (Phần II, Mục I.3; Mẫu 3.2):
 * "SAO Y; Văn phòng UBND tỉnh …; 05/03/2026; 14:30:05 +07:00", 10 pt, black, top right of page 1.
 * Throws signing.appearance_invalid (unknown kind), signing.font_missing_glyph.
 */
export function copyStampPreset(o: { kind: CopyKind; agency: string; signedAt: Date; page: PageSize }, alloc: Allocator): PlacedAppearance {
  if (!['SAO Y', 'SAO LỤC', 'TRÍCH SAO'].includes(o.kind.normalize('NFC'))) {
    throw appearanceInvalid({ kind: o.kind }, { message: 'Hình thức sao phải là "SAO Y", "SAO LỤC" hoặc "TRÍCH SAO".' });
  }
  return topRightStamp([o.kind.normalize('NFC'), o.agency.trim(), stampTime(o.signedAt)], o.page, alloc);
}

/** A box found on the page (findAnchor) with, when known, the text baseline and font size there. */
export type AnchorBox = Box & { baseline?: number; fontSize?: number };

export type IssueNumberOptions = {
  /** e.g. "15/QĐ-UBND" (see formatDocumentNumber); drawn upright, 13 pt (ô 3). */
  numberText: string;
  /** e.g. "Hà Nội, ngày 05 tháng 3 năm 2026" (see formatIssueDate); drawn italic, 13 pt (ô 4). */
  dateText: string;
  numberAnchor: AnchorBox;
  dateAnchor: AnchorBox;
  /** 'after': write right after the anchor (e.g. the label "Số:"); 'over': white out the anchor (a placeholder) and write centred on it. */
  mode?: 'after' | 'over';
  fontSize?: number;
};

function placeAt(text: string, anchor: AnchorBox, style: Omit<TextAppearanceOptions, 'lines'>, mode: 'after' | 'over', alloc: Allocator): PlacedAppearance {
  const probe = layoutText({ ...style, lines: [text], padding: 0 });
  const firstBaseline = probe.lines[0]?.baseline ?? 0;
  const baseline = anchor.baseline ?? anchor.y + anchor.height * 0.22;
  if (mode === 'after') {
    const ap = buildTextAppearance({ ...style, lines: [text], padding: 0 }, alloc);
    return { ...ap, rect: { x: anchor.x + anchor.width + style.fontSize * 0.25, y: baseline - firstBaseline, width: ap.width, height: ap.height } };
  }
  const width = Math.max(probe.width + 4, anchor.width);
  const ap = buildTextAppearance({ ...style, lines: [text], padding: 0, width, height: probe.height, align: 'center', background: '#ffffff' }, alloc);
  const cx = anchor.x + anchor.width / 2;
  return { ...ap, rect: { x: cx - width / 2, y: baseline - firstBaseline, width, height: ap.height } };
}

/**
 * Số/ký hiệu (ô 3, upright) and place + date (ô 4, italic), drawn at issue time as annotations at their
 * anchors, in the same incremental update as the agency signature.
 * Throws signing.font_missing_glyph, signing.appearance_invalid.
 */
export function issueNumberPreset(o: IssueNumberOptions, alloc: Allocator): { number: PlacedAppearance; date: PlacedAppearance } {
  const size = o.fontSize ?? 13;
  const mode = o.mode ?? 'after';
  const base = { fontSize: size, font: 'serif' as const, color: '#000000', minFontSize: size };
  return {
    number: placeAt(o.numberText.normalize('NFC'), o.numberAnchor, base, mode, alloc),
    date: placeAt(o.dateText.normalize('NFC'), o.dateAnchor, { ...base, italic: true }, mode, alloc),
  };
}
