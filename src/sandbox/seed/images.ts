// Tiny but valid images for the seeded uploads ("photo.jpg") and the e-Aadhaar photo, written byte by
// byte so that no image library is needed and the bytes never change.

/**
 * A baseline JPEG (ITU T.81) of one grey pixel: JFIF header, a quantisation table of ones, one 8-bit
 * component, a DC and an AC Huffman table that each hold a single 1-bit code (for "difference 0" and
 * "end of block"), and one scan whose only two bits are those codes, padded with ones.
 */
export function tinyJpeg(): Buffer {
  const bytes = [
    [0xff, 0xd8], // SOI
    [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00], // APP0 JFIF 1.1
    [0xff, 0xdb, 0x00, 0x43, 0x00, ...new Array<number>(64).fill(1)], // DQT 0: all ones
    [0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00], // SOF0: 1×1, 1 component
    [0xff, 0xc4, 0x00, 0x14, 0x00, 1, ...new Array<number>(15).fill(0), 0x00], // DHT DC 0: one code → category 0
    [0xff, 0xc4, 0x00, 0x14, 0x10, 1, ...new Array<number>(15).fill(0), 0x00], // DHT AC 0: one code → EOB
    [0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00], // SOS
    [0x3f], // "0" (DC diff 0) "0" (EOB), padded with 1 bits
    [0xff, 0xd9], // EOI
  ].flat();
  return Buffer.from(bytes);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A PNG (ISO 15948) of one RGB pixel. The image data is a zlib stream with a single stored (uncompressed)
 * deflate block, so the bytes do not depend on the zlib version.
 */
export function tinyPng(rgb: [number, number, number] = [0x1f, 0x6f, 0xb4]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, adaptive filtering, no interlace
  const raw = Buffer.from([0, ...rgb]); // filter type 0, then the pixel
  const stored = Buffer.alloc(5);
  stored.set([0x01], 0); // BFINAL, BTYPE 00
  stored.writeUInt16LE(raw.length, 1);
  stored.writeUInt16LE(~raw.length & 0xffff, 3);
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(adler32(raw), 0);
  const zlib = Buffer.concat([Buffer.from([0x78, 0x01]), stored, raw, adler]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
