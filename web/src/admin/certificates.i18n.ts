import { splitPairs } from '../i18n/pairs.ts';
/**
 * The agency admin's «Chứng thư số» page: the agency's seal certificate (PKCS#12 kept by the server) and
 * the leaders' personal certificates with their signature images. [Vietnamese, English] per key.
 */
const M = {
  'nav.certificates': ['Chứng thư số', 'Certificates'],
  'certs.title': ['Chứng thư số', 'Signing certificates'],
  'certs.subtitle': ['Chứng thư số của cơ quan (con dấu số) mà văn thư dùng khi phát hành văn bản, và chứng thư số cá nhân của người ký duyệt. Các tệp do tổ chức cung cấp dịch vụ chứng thực chữ ký số cấp cho cơ quan.',
    "The agency's certificate (digital seal) the clerk applies when issuing documents, and the signers' personal certificates. The files come from the agency's certification service provider."],
  'certs.seal.title': ['Chứng thư số của cơ quan (con dấu số)', "Agency certificate (digital seal)"],
  'certs.seal.none': ['Cơ quan chưa có chứng thư số: văn thư chưa phát hành được văn bản nào (cấp số, ký số của cơ quan). Cài đặt tệp .p12 hoặc .pfx do tổ chức chứng thực cấp cho cơ quan.',
    'The agency has no certificate yet: the clerk cannot issue any document (numbering and the agency signature). Install the .p12 or .pfx file the certification provider issued to the agency.'],
  'certs.seal.install': ['Cài đặt chứng thư số cơ quan', 'Install the agency certificate'],
  'certs.seal.replace': ['Thay chứng thư số cơ quan', 'Replace the agency certificate'],
  'certs.seal.file': ['Tệp chứng thư số (.p12, .pfx)', 'Certificate file (.p12, .pfx)'],
  'certs.seal.password': ['Mật khẩu của tệp', "The file's password"],
  'certs.seal.password.help': ['Được mã hóa khi lưu trên máy chủ và không hiển thị lại.', 'Kept encrypted on the server and never shown again.'],
  'certs.seal.image': ['Ảnh con dấu (PNG nền trong suốt)', 'Seal image (PNG, transparent background)'],
  'certs.seal.image.help': ['Hình con dấu màu đỏ đặt lên văn bản khi phát hành (Nghị định 30/2020/NĐ-CP, Phụ lục I). Có thể bỏ trống.',
    'The red seal drawn on issued documents (Decree 30/2020, Appendix I). Optional.'],
  'certs.seal.saved': ['Đã cài đặt chứng thư số của cơ quan. Văn thư phát hành được văn bản.', "The agency certificate is installed. The clerk can issue documents."],
  'certs.personal.title': ['Chứng thư số cá nhân', 'Personal certificates'],
  'certs.personal.help': ['Lãnh đạo ký duyệt bằng USB token qua phần mềm ký số trên máy tính của mình (khóa bí mật không rời USB token). Đăng ký chứng thư số để hệ thống chỉ nhận đúng chứng thư đó và đặt ảnh chữ ký lên văn bản.',
    "Leaders sign with their USB token through the signing software on their own computer (the private key never leaves the token). Register the certificate so that only it is accepted and the signature image is drawn on documents."],
  'certs.personal.none': ['Chưa đăng ký chứng thư số cá nhân nào. Lãnh đạo vẫn ký được bằng USB token, nhưng văn bản không có ảnh chữ ký.',
    'No personal certificate registered yet. Leaders can still sign with their USB token, but documents get no signature image.'],
  'certs.personal.add': ['Đăng ký chứng thư số cá nhân', 'Register a personal certificate'],
  'certs.personal.user': ['Người ký', 'Signer'],
  'certs.personal.file': ['Tệp chứng thư số (.cer, .crt, .pem, .der)', 'Certificate file (.cer, .crt, .pem, .der)'],
  'certs.personal.file.help': ['Chứng thư số (không có khóa bí mật) xuất từ USB token hoặc do tổ chức chứng thực gửi.', 'The certificate (no private key), exported from the USB token or sent by the provider.'],
  'certs.personal.image': ['Ảnh chữ ký (PNG nền trong suốt)', 'Signature image (PNG, transparent background)'],
  'certs.personal.image.help': ['Chữ ký màu xanh đặt lên văn bản khi ký duyệt. Có thể bỏ trống.', 'The blue signature drawn on documents when signing. Optional.'],
  'certs.personal.saved': ['Đã đăng ký chứng thư số cá nhân.', 'Personal certificate registered.'],
  'certs.subject': ['Chủ thể', 'Subject'],
  'certs.serial': ['Số hiệu', 'Serial number'],
  'certs.validity': ['Hiệu lực', 'Valid'],
  'certs.validity.range': ['từ {from} đến {to}', 'from {from} to {to}'],
  'certs.image': ['Ảnh', 'Image'],
  'certs.image.yes': ['Có ảnh', 'With image'],
  'certs.image.no': ['Không có ảnh', 'No image'],
  'certs.state.active': ['Đang dùng', 'In use'],
  'certs.state.expired': ['Đã hết hạn', 'Expired'],
  'certs.state.expiring': ['Sắp hết hạn', 'Expiring soon'],
  'certs.file.required': ['Chọn tệp.', 'Choose a file.'],
  'certs.file.notPem': ['Tệp không phải chứng thư số (PEM hoặc DER).', 'Not a certificate file (PEM or DER).'],
} as const;

export const [certificatesVi, certificatesEn] = splitPairs(M);
