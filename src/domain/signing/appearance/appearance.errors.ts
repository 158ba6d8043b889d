import { errorFactory } from '../../../platform/errors.ts';

export const imageInvalid = errorFactory({
  code: 'signing.image_invalid',
  status: 400,
  message: 'Ảnh chữ ký/con dấu không hợp lệ: cần tệp PNG đúng định dạng.',
});

export const imageNotTransparent = errorFactory({
  code: 'signing.image_not_transparent',
  status: 400,
  message: 'Ảnh chữ ký/con dấu phải là tệp PNG nền trong suốt (Nghị định 30/2020/NĐ-CP, Phụ lục I).',
});

export const fontMissingGlyph = errorFactory({
  code: 'signing.font_missing_glyph',
  status: 400,
  message: 'Phông chữ Times New Roman tương thích không có ký tự cần hiển thị.',
});

export const appearanceInvalid = errorFactory({
  code: 'signing.appearance_invalid',
  status: 400,
  message: 'Thông số hình ảnh chữ ký số không hợp lệ.',
});

export const anchorPdfInvalid = errorFactory({
  code: 'signing.anchor_pdf_invalid',
  status: 400,
  message: 'Không đọc được nội dung tệp PDF để tìm vị trí đặt chữ ký.',
});
