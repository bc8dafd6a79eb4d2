import { describe, expect, it } from '@jest/globals';
import { cleanFilename, contentDisposition } from './filename.js';

describe('attachment file names', () => {
  it('keeps a Chinese name as it was uploaded', () => {
    expect(cleanFilename('浙江庆元经济开发区可行性研究报告.pdf', 'x.pdf')).toBe('浙江庆元经济开发区可行性研究报告.pdf');
  });

  it('drops paths, control and bidi-override characters, and composes to NFC', () => {
    expect(cleanFilename('C:\\Users\\李明\\Desktop\\申请书.docx', 'x')).toBe('申请书.docx');
    expect(cleanFilename('../../etc/passwd', 'x')).toBe('passwd');
    expect(cleanFilename('invoice\u202Efdp.exe', 'x')).toBe('invoicefdp.exe');
    expect(cleanFilename('line\r\nbreak.pdf', 'x')).toBe('linebreak.pdf');
    expect(cleanFilename('Cafe\u0301.pdf', 'x')).toBe('Café.pdf');
  });

  it('falls back when nothing is left, and shortens long names keeping the extension', () => {
    expect(cleanFilename('  ', 'land_use_plan.pdf')).toBe('land_use_plan.pdf');
    expect(cleanFilename('dir/..', 'land_use_plan.pdf')).toBe('land_use_plan.pdf');
    const long = cleanFilename(`${'规'.repeat(300)}.pdf`, 'x');
    expect(Array.from(long)).toHaveLength(255);
    expect(long.endsWith('规.pdf')).toBe(true);
    expect(cleanFilename('\ud800broken.pdf', 'x')).toBe('\ufffdbroken.pdf');
  });

  it('offers a plain ASCII name as is and a Chinese one percent-encoded with an ASCII fallback', () => {
    expect(contentDisposition('report.pdf', 'feasibility_report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(contentDisposition('可行性报告 (终稿).pdf', 'feasibility_report.pdf')).toBe(
      `attachment; filename="feasibility_report.pdf"; filename*=UTF-8''%E5%8F%AF%E8%A1%8C%E6%80%A7%E6%8A%A5%E5%91%8A%20%28%E7%BB%88%E7%A8%BF%29.pdf`,
    );
    expect(contentDisposition('a"b\\c.pdf', 'x.pdf')).toBe(`attachment; filename="x.pdf"; filename*=UTF-8''a%22b%5Cc.pdf`);
  });
});
