import { DomainError } from '@shanhai/platform';
import { fileTypeFromBuffer, type FileTypeResult } from 'file-type';

/** A file type attachments may have, as told by the file's bytes. */
export interface AcceptedType {
  readonly mediaType: string;
  /** Without the dot; for a download's fallback name. */
  readonly extension: string;
  readonly label: string;
}

const type = (mediaType: string, extension: string, label: string): AcceptedType => ({ mediaType, extension, label });

/** By `file-type`'s extension. Macro-enabled Office files (docm, xlsm…) are deliberately absent. */
const acceptedByDetection: Readonly<Record<string, AcceptedType>> = {
  pdf: type('application/pdf', 'pdf', 'PDF'),
  png: type('image/png', 'png', 'PNG image'),
  jpg: type('image/jpeg', 'jpg', 'JPEG image'),
  tif: type('image/tiff', 'tif', 'TIFF image'),
  docx: type('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx', 'Word document'),
  xlsx: type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx', 'Excel workbook'),
  pptx: type('application/vnd.openxmlformats-officedocument.presentationml.presentation', 'pptx', 'PowerPoint presentation'),
};

/**
 * Legacy Office files are Compound File Binary containers, as are Windows installers (.msi),
 * Outlook messages and thumbnail caches; `file-type` stops at "cfb". The stream at the top of the
 * container tells them apart.
 */
const legacyOffice: readonly (readonly [stream: string, type: AcceptedType])[] = [
  ['WordDocument', type('application/msword', 'doc', 'Word 97-2003 document')],
  ['PowerPoint Document', type('application/vnd.ms-powerpoint', 'ppt', 'PowerPoint 97-2003 presentation')],
  ['Workbook', type('application/vnd.ms-excel', 'xls', 'Excel 97-2003 workbook')],
  ['Book', type('application/vnd.ms-excel', 'xls', 'Excel 5.0 workbook')],
];

export const acceptedTypeLabels = [...new Set([...Object.values(acceptedByDetection), ...legacyOffice.map(([, t]) => t)].map((t) => t.label))];

/** The type the bytes say the file has, if attachments accept it; the client's name and claimed type play no part. */
export async function detectAcceptedType(content: Buffer): Promise<AcceptedType | undefined> {
  return (await detect(content)).accepted;
}

/** As `detectAcceptedType`, or 415 UNSUPPORTED_MEDIA_TYPE naming what the file is instead. */
export async function requireAcceptedType(content: Buffer, filename: string): Promise<AcceptedType> {
  const { accepted, detected } = await detect(content);
  if (accepted) return accepted;
  const what = detected ? `${detected.ext} (${detected.mime})` : 'of no known type';
  throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `by its content, ${filename} is ${what}; accepted: ${acceptedTypeLabels.join(', ')}`, {
    detectedType: detected?.mime ?? null,
    errors: [{ field: 'file', message: `by its content, ${filename} is ${what}` }],
  });
}

async function detect(content: Buffer): Promise<{ accepted?: AcceptedType; detected?: FileTypeResult }> {
  const detected = await fileTypeFromBuffer(content);
  if (!detected) return {};
  if (detected.ext !== 'cfb') return { accepted: acceptedByDetection[detected.ext], detected };
  const streams = rootStreamNames(content);
  return { accepted: legacyOffice.find(([name]) => streams.has(name))?.[1], detected };
}

// --- Compound File Binary (MS-CFB), just enough to list the streams at the top of the container.

const MAX_REGULAR_SECTOR = 0xfffffffa;
const END_OF_CHAIN = 0xfffffffe;
const NO_STREAM = 0xffffffff;
const HEADER_DIFAT_ENTRIES = 109;
const DIRECTORY_ENTRY_BYTES = 128;

/**
 * Names of the storages and streams directly under the root, or an empty set when the container is
 * malformed. Every offset is bounds-checked and every chain walk is capped, as the bytes are untrusted.
 */
export function rootStreamNames(bytes: Buffer): Set<string> {
  try {
    if (bytes.length < 512) return new Set();
    const shift = bytes.readUInt16LE(0x1e);
    if (shift !== 9 && shift !== 12) return new Set();
    const sectorSize = 1 << shift;
    const sectorCount = Math.floor((bytes.length - sectorSize) / sectorSize) + 1;
    const sector = (n: number): Buffer | undefined => {
      const start = (n + 1) * sectorSize;
      return n < sectorCount && start + sectorSize <= bytes.length ? bytes.subarray(start, start + sectorSize) : undefined;
    };

    // The FAT's own sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
    const fatSectors: number[] = [];
    for (let i = 0; i < HEADER_DIFAT_ENTRIES; i++) fatSectors.push(bytes.readUInt32LE(0x4c + 4 * i));
    for (let next = bytes.readUInt32LE(0x44), hops = 0; next <= MAX_REGULAR_SECTOR && hops < sectorCount; hops++) {
      const difat = sector(next);
      if (!difat) return new Set();
      for (let i = 0; i < sectorSize / 4 - 1; i++) fatSectors.push(difat.readUInt32LE(4 * i));
      next = difat.readUInt32LE(sectorSize - 4);
    }
    const fatEntriesPerSector = sectorSize / 4;
    const nextInChain = (n: number): number | undefined => {
      const fat = sector(fatSectors[Math.floor(n / fatEntriesPerSector)] ?? NO_STREAM);
      return fat?.readUInt32LE((n % fatEntriesPerSector) * 4);
    };

    const directory: Buffer[] = [];
    for (let n: number | undefined = bytes.readUInt32LE(0x30); n !== undefined && n !== END_OF_CHAIN; n = nextInChain(n)) {
      const s = sector(n);
      if (!s || directory.length >= sectorCount) return new Set();
      directory.push(s);
    }
    const entries = Buffer.concat(directory);
    const entry = (id: number): Buffer | undefined =>
      (id + 1) * DIRECTORY_ENTRY_BYTES <= entries.length ? entries.subarray(id * DIRECTORY_ENTRY_BYTES, (id + 1) * DIRECTORY_ENTRY_BYTES) : undefined;

    // The root's children form a tree through left and right sibling ids.
    const names = new Set<string>();
    const pending = [entry(0)?.readUInt32LE(0x4c) ?? NO_STREAM];
    const seen = new Set<number>();
    for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
      const e = id === NO_STREAM || seen.has(id) ? undefined : entry(id);
      if (!e) continue;
      seen.add(id);
      const nameBytes = Math.min(e.readUInt16LE(0x40), 64);
      names.add(e.subarray(0, Math.max(nameBytes - 2, 0)).toString('utf16le'));
      pending.push(e.readUInt32LE(0x44), e.readUInt32LE(0x48));
    }
    return names;
  } catch (error) {
    if (error instanceof RangeError) return new Set();
    throw error;
  }
}

/** The extension of an accepted media type, for a download's fallback name. */
export const extensionOf = (mediaType: string): string =>
  [...Object.values(acceptedByDetection), ...legacyOffice.map(([, t]) => t)].find((t) => t.mediaType === mediaType)?.extension ?? 'bin';
