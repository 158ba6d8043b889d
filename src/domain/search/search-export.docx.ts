import { AlignmentType, Document, HeadingLevel, Packer, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { SearchExport } from './search-export.service.ts';

// A4 landscape in twentieths of a point, 2 cm margins: the table width is what is left.
const [A4_LONG, A4_SHORT, MARGIN] = [16838, 11906, 1134];
const TABLE_WIDTH = A4_LONG - 2 * MARGIN;
const FONT = 'Times New Roman';

const text = (value: string, o: { bold?: boolean; size?: number; italics?: boolean } = {}) =>
  new TextRun({ text: value, font: FONT, size: (o.size ?? 11) * 2, bold: o.bold, italics: o.italics });
const line = (value: string, o: { bold?: boolean; size?: number; italics?: boolean; center?: boolean } = {}) =>
  new Paragraph({ children: [text(value, o)], alignment: o.center ? AlignmentType.CENTER : AlignmentType.LEFT, spacing: { after: 80 } });

/**
 * The search results as a Word document (.docx, ND 30 Phụ lục VI III.6.h): A4 landscape, Times New Roman,
 * the agency and the search at the top, then per kind a heading and a table whose header repeats on every page.
 */
export async function exportSearchDocx(e: SearchExport): Promise<Uint8Array> {
  const body: (Paragraph | Table)[] = [
    line(e.agencyName.toUpperCase(), { bold: true, size: 12 }),
    line('KẾT QUẢ TÌM KIẾM VĂN BẢN, HỒ SƠ', { bold: true, size: 14, center: true }),
    line(e.criteria, { italics: true }),
    line(`Ngày xuất: ${e.exportedOn}`, { italics: true }),
  ];
  for (const t of e.tables) {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 120 }, children: [text(t.title, { bold: true, size: 12 })] }));
    if (t.cutNote) body.push(line(t.cutNote, { italics: true }));
    const weight = t.columns.reduce((sum, c) => sum + c.width, 0);
    const widths = t.columns.map((c) => Math.floor((c.width / weight) * TABLE_WIDTH));
    const cell = (value: string, i: number, bold = false) =>
      new TableCell({ width: { size: widths[i] ?? 0, type: WidthType.DXA }, children: [new Paragraph({ children: [text(value, { bold, size: 10 })] })] });
    body.push(new Table({
      width: { size: TABLE_WIDTH, type: WidthType.DXA }, columnWidths: widths,
      rows: [
        new TableRow({ tableHeader: true, children: t.columns.map((c, i) => cell(c.header, i, true)) }),
        ...t.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((v, i) => cell(v, i)) })),
      ],
    }));
  }
  const doc = new Document({
    creator: 'vanthu', title: 'Kết quả tìm kiếm',
    sections: [{ properties: { page: { size: { width: A4_SHORT, height: A4_LONG, orientation: PageOrientation.LANDSCAPE }, margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN } } }, children: body }],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
