import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TEdxmlHeader, TStatusHeader } from './edxml.schemas.ts';

/** Test fixtures for the edXML tests: real keys and certificates made by openssl, sample headers. */

export type TestSigner = {
  privateKey: KeyObject;
  certificate: Uint8Array;
  keyPath: string;
  certPath: string;
  p12Path: string;
  password: string;
};

/** Makes a self-signed agency certificate with `openssl req -x509` and a PKCS#12 with `openssl pkcs12 -export`. */
export function makeTestSigner(kind: 'rsa' | 'ec' = 'rsa', dir = mkdtempSync(join(tmpdir(), 'vanthu-edxml-pki-'))): TestSigner {
  const keyPath = join(dir, `${kind}.key.pem`);
  const certPath = join(dir, `${kind}.cert.pem`);
  const p12Path = join(dir, `${kind}.p12`);
  const password = 'vanthu-test';
  const newkey = kind === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  execFileSync('openssl', ['req', '-x509', ...newkey, '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '30',
    '-subj', '/C=VN/ST=Quảng Ninh/O=UBND tỉnh Quảng Ninh/CN=Văn thư UBND tỉnh Quảng Ninh', '-utf8'], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', keyPath, '-in', certPath, '-out', p12Path, '-passout', `pass:${password}`], { stdio: 'ignore' });
  const certificate = new Uint8Array(new X509Certificate(readFileSync(certPath)).raw);
  return { privateKey: createPrivateKey(readFileSync(keyPath)), certificate, keyPath, certPath, p12Path, password };
}

/** A complete new-document header with every optional part filled in. */
export function sampleHeader(): TEdxmlHeader {
  return {
    messageHeader: {
      from: {
        organId: '000.00.00.H49', organizationInCharge: 'UBND tỉnh Quảng Ninh', organName: 'Văn phòng UBND tỉnh Quảng Ninh',
        organAdd: 'Phường Hồng Hà, TP Hạ Long', email: 'vanphong@quangninh.gov.vn', telephone: '0203 3835 636', fax: '0203 3835 637',
        website: 'https://www.quangninh.gov.vn',
      },
      to: [
        { organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ' },
        { organId: '000.00.00.G09', organName: 'Bộ Nội vụ', email: 'bnv@moha.gov.vn' },
      ],
      documentId: '000.00.00.H49,2026/03/02,123/UBND-VP',
      code: { codeNumber: '123', codeNotation: 'UBND-VP' },
      promulgationInfo: { place: 'Quảng Ninh', promulgationDate: '2026/03/02' },
      documentType: { type: 1, typeDetail: 0, typeName: 'Công văn' },
      subject: 'V/v báo cáo tình hình triển khai văn bản điện tử & chữ ký số <năm 2026>',
      content: 'Nội dung "trích yếu" dài, có ký tự đặc biệt: & < > \' "',
      signerInfo: { competence: 'KT. CHỦ TỊCH', position: 'PHÓ CHỦ TỊCH', fullName: 'Nguyễn Văn A' },
      dueDate: '2026/03/15',
      toPlaces: ['Như trên', 'Lưu: VT, VP'],
      otherInfo: {
        priority: 1, sphereOfPromulgation: 'Liên thông văn bản quốc gia', typerNotation: 'TVC', promulgationAmount: 1, pageAmount: 2,
        appendixes: ['Phụ lục I', 'Phụ lục II'], direction: false,
      },
      responseFor: [{ organId: '000.00.00.G22', code: '7816/VPCP-TTĐT', promulgationDate: '2018/09/20', documentId: '000.00.00.G22,2018/09/20,7816/VPCP-TTĐT' }],
      steeringType: 0,
    },
    traceHeaderList: {
      traceHeader: [{ organId: '000.00.00.H49', timestamp: '2026/03/02 09:15:00' }],
      bussiness: {
        bussinessDocType: 0, bussinessDocReason: 'Văn bản mới', paper: 0,
        staffInfo: [{ department: 'Văn thư', staff: 'Trần Thị B', email: 'vanthu@quangninh.gov.vn', mobile: '0912000001' }],
      },
    },
  };
}

/** A status package header (03 = đã tiếp nhận) answering the sample document. */
export function sampleStatus(): TStatusHeader {
  return {
    messageHeader: {
      responseFor: { organId: '000.00.00.H49', code: '123/UBND-VP', promulgationDate: '2026/03/02', documentId: '000.00.00.H49,2026/03/02,123/UBND-VP' },
      from: { organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ' },
      statusCode: '03',
      description: 'Văn thư đã tiếp nhận, vào sổ văn bản đến',
      timestamp: '2026/03/02 10:00:00',
      staffInfo: { department: 'Phòng Hành chính', staff: 'Lê Văn C', mobile: '0912000002', email: 'vanthu@chinhphu.vn' },
    },
    traceHeaderList: { traceHeader: [{ organId: '000.00.00.G22', timestamp: '2026/03/02 10:00:01' }] },
  };
}
