/**
 * Serialisable description of a visible signature (page + rect, or a text anchor; a PNG and/or
 * text lines), turned into a `WidgetPlacement` with the appearance helper's builders. Being plain
 * data, it crosses into batch workers.
 */
import { findAnchor } from './appearance/appearance.anchor.ts';
import { buildSignatureAppearance } from './appearance/appearance.signature.ts';
import type { WidgetPlacement } from './signing.placeholder.ts';
import { anchorNotFound, badOptions } from './signing.errors.ts';

/** A visible stamp. With `anchor`, the widget is centred just below the first match of that text. */
export type StampSpec = {
  page?: number;
  /** [x, y, width, height]; with an anchor only width and height are used (default 160 × 70). */
  rect?: [number, number, number, number];
  anchor?: string;
  image?: Uint8Array;
  lines?: string[];
};

const DEFAULT_SIZE: [number, number] = [160, 70];

/**
 * Resolves a stamp spec against a PDF (`pdfPassword` opens an encrypted one for the anchor search). Throws `signing.anchor_not_found`, `signing.bad_options`
 * (no position, or nothing to draw) and the appearance helper's errors when the stamp is built.
 */
export async function resolveStamp(pdf: Uint8Array, spec: StampSpec, pdfPassword?: string): Promise<WidgetPlacement> {
  const [w, h] = spec.rect ? [spec.rect[2], spec.rect[3]] : DEFAULT_SIZE;
  let page = spec.page ?? 0;
  let rect: [number, number, number, number];
  if (spec.anchor) {
    const found = await findAnchor(pdf, spec.anchor, { password: pdfPassword });
    if (!found) throw anchorNotFound({ anchor: spec.anchor });
    page = found.pageIndex;
    rect = [found.x + found.width / 2 - w / 2, found.y - h - 2, w, h];
  } else if (spec.rect) {
    rect = spec.rect;
  } else {
    throw badOptions(undefined, { message: 'Cần vị trí chữ ký: --page và --rect, hoặc --anchor.' });
  }
  if (!spec.image && !spec.lines?.length) throw badOptions(undefined, { message: 'Chữ ký hiển thị cần hình ảnh (--image) hoặc nội dung chữ (--text).' });
  const layout = spec.image && spec.lines?.length ? 'image-left' : spec.image ? 'image' : 'text';
  const image = spec.image;
  return {
    page, rect,
    appearance: (allocate) => buildSignatureAppearance({
      width: w, height: h, layout, image: image ? { png: image } : undefined, lines: spec.lines,
    }, allocate),
  };
}
