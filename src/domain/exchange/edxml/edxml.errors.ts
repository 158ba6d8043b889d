import { errorFactory } from '../../../platform/errors.ts';

// One factory per failure a sender, a file or a caller can cause. Codes are stable (`edxml.*`);
// messages are Vietnamese because they reach clerks through the UI and the CLI.

export const edxmlDoctypeRefused = errorFactory({
  code: 'edxml.doctype_refused', status: 422,
  message: 'Gói tin edXML chứa khai báo DOCTYPE/DTD: bị từ chối để chống tấn công XXE và bom thực thể',
});
export const edxmlEntityRefused = errorFactory({
  code: 'edxml.entity_refused', status: 422,
  message: 'Gói tin edXML dùng thực thể (entity) không được khai báo: bị từ chối',
});
export const edxmlTooLarge = errorFactory({
  code: 'edxml.too_large', status: 413,
  message: 'Gói tin edXML vượt quá dung lượng cho phép',
});
export const edxmlHeaderTooLarge = errorFactory({
  code: 'edxml.header_too_large', status: 413,
  message: 'Phần tiêu đề (edXMLEnvelope) của gói tin quá lớn hoặc lồng quá sâu',
});
export const edxmlMalformed = errorFactory({
  code: 'edxml.malformed', status: 422,
  message: 'Gói tin edXML không phải là XML hợp lệ',
});
export const edxmlNotEdxml = errorFactory({
  code: 'edxml.not_edxml', status: 422,
  message: 'Tệp không phải gói tin edXML theo QCVN 102:2016 (thiếu edXMLEnvelope/edXMLHeader đúng không gian tên)',
});
export const edxmlUnsupportedEncoding = errorFactory({
  code: 'edxml.unsupported_encoding', status: 422,
  message: 'Gói tin edXML phải mã hóa UTF-8',
});
export const edxmlInvalidHeader = errorFactory({
  code: 'edxml.invalid_header', status: 422,
  message: 'Thông tin tiêu đề edXML không hợp lệ',
});
export const edxmlBadBase64 = errorFactory({
  code: 'edxml.bad_base64', status: 422,
  message: 'Nội dung tệp đính kèm (ContentTransferEncoded) không phải base64 hợp lệ',
});
export const edxmlAttachmentInvalid = errorFactory({
  code: 'edxml.attachment_invalid', status: 422,
  message: 'Tệp đính kèm của gói tin edXML không hợp lệ',
});
export const edxmlSignerInvalid = errorFactory({
  code: 'edxml.signer_invalid', status: 400,
  message: 'Khóa hoặc chứng thư số dùng để ký gói tin không dùng được (chỉ hỗ trợ RSA hoặc ECDSA P-256)',
});
export const edxmlIo = errorFactory({
  code: 'edxml.io', status: 500,
  message: 'Không đọc/ghi được tệp khi xử lý gói tin edXML',
});
export const edxmlNotStatus = errorFactory({
  code: 'edxml.not_status', status: 422,
  message: 'Gói tin không phải gói tin trạng thái (thiếu StatusCode)',
});
