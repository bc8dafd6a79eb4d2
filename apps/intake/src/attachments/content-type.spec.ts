import { describe, expect, it } from '@jest/globals';
import { DomainError } from '@shanhai/platform';
import * as sample from '../../test/support/attachment-samples.js';
import { detectAcceptedType, requireAcceptedType, rootStreamNames } from './content-type.js';

const OOXML = 'application/vnd.openxmlformats-officedocument';

describe('attachment content types', () => {
  it.each([
    ['a PDF', sample.pdf(), 'application/pdf'],
    ['a PNG', sample.png(), 'image/png'],
    ['a JPEG', sample.jpeg(), 'image/jpeg'],
    ['a TIFF', sample.tiff(), 'image/tiff'],
    ['a docx', sample.docx(), `${OOXML}.wordprocessingml.document`],
    ['an xlsx', sample.xlsx(), `${OOXML}.spreadsheetml.sheet`],
    ['a pptx', sample.pptx(), `${OOXML}.presentationml.presentation`],
    ['a legacy .doc', sample.cfb(['WordDocument', '\u0001CompObj']), 'application/msword'],
    ['a legacy .xls', sample.cfb(['Workbook']), 'application/vnd.ms-excel'],
    ['a legacy .ppt', sample.cfb(['Current User', 'PowerPoint Document']), 'application/vnd.ms-powerpoint'],
  ])('accepts %s by its bytes', async (_, bytes, mediaType) => {
    await expect(detectAcceptedType(bytes)).resolves.toMatchObject({ mediaType });
  });

  it.each([
    ['a Windows executable', sample.exe()],
    ['HTML', sample.html()],
    ['a ZIP that is not an Office document', sample.zip({ 'readme.txt': 'hello', 'payload.bin': Buffer.alloc(16) })],
    ['a macro-enabled Word document', sample.docm()],
    ['a compound file that is no Office document (an installer)', sample.cfb(['\u4840\u3f3f\u4577', 'SummaryInformation'])],
    ['a truncated compound file', sample.cfb(['WordDocument']).subarray(0, 600)],
    ['plain text', Buffer.from('只是一些文字', 'utf8')],
    ['an empty file', Buffer.alloc(0)],
  ])('refuses %s', async (_, bytes) => {
    await expect(detectAcceptedType(bytes)).resolves.toBeUndefined();
  });

  it('refuses an executable named report.pdf with 415, naming what it really is', async () => {
    const refusal = requireAcceptedType(sample.exe(), 'report.pdf');
    await expect(refusal).rejects.toThrow(DomainError);
    await expect(refusal).rejects.toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      extensions: { detectedType: 'application/x-msdownload', errors: [{ field: 'file', message: 'by its content, report.pdf is exe (application/x-msdownload)' }] },
    });
  });

  it('gives the type the bytes show, whatever the name says', async () => {
    await expect(requireAcceptedType(sample.png(), 'scan.pdf')).resolves.toMatchObject({ mediaType: 'image/png', extension: 'png' });
  });

  it('reads the root streams of a compound file and nothing from garbage', () => {
    expect([...rootStreamNames(sample.cfb(['WordDocument', 'Data', '1Table']))].sort()).toEqual(['1Table', 'Data', 'WordDocument']);
    const corrupt = sample.cfb(['WordDocument']);
    corrupt.writeUInt32LE(0x7fffffff, 0x30); // the directory sector is past the end
    expect(rootStreamNames(corrupt).size).toBe(0);
    const looped = sample.cfb(['WordDocument']);
    looped.writeUInt32LE(1, 512 + 4); // the directory chain points at itself
    expect(rootStreamNames(looped).size).toBe(0);
  });
});
