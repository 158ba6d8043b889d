/** A rectangle in PDF user space (points, origin bottom-left). */
export type Box = { x: number; y: number; width: number; height: number };

/** A page size in points, e.g. A4 = { width: 595.28, height: 841.89 }. */
export type PageSize = { width: number; height: number };

/** An RGB colour: `#rrggbb` or components in 0..1. */
export type Color = string | readonly [number, number, number];

/** Hands out a fresh PDF object number; the caller (the PDF writer) owns numbering. */
export type Allocator = () => number;

/** One new indirect object: the raw bytes between `N 0 obj` and `endobj`. */
export type PdfObject = { num: number; body: Uint8Array };

/**
 * What every builder returns: the new objects, and the number of the Form XObject to use as a widget's
 * or annotation's `/AP << /N xobject 0 R >>`. `width`/`height` are the form's BBox size in points.
 */
export type AppearanceResult = { objects: PdfObject[]; xobject: number; width: number; height: number };

/** A preset's appearance plus the page rectangle (`/Rect`) where it belongs. */
export type PlacedAppearance = AppearanceResult & { rect: Box };

/** 1 mm in points. */
export const MM = 72 / 25.4;

/** A4 portrait in points. */
export const A4: PageSize = { width: 595.28, height: 841.89 };
