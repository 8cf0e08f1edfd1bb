// The hand-written images (seed/images.ts): a baseline JPEG and a PNG that decoders accept, checked
// marker by marker and chunk by chunk (CRCs and the zlib stream with node:zlib).
import { crc32, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { tinyJpeg, tinyPng } from "../../../src/sandbox/seed/images.js";

describe("tinyJpeg", () => {
  it("is SOI, JFIF, DQT, SOF0 (1×1, one component), two DHTs, SOS, scan data, EOI", () => {
    const jpeg = tinyJpeg();
    const markers: number[] = [];
    let at = 2;
    expect([...jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    while (at < jpeg.length && jpeg[at] === 0xff && jpeg[at + 1] !== 0xd9) {
      const marker = jpeg[at + 1]!;
      markers.push(marker);
      const length = jpeg.readUInt16BE(at + 2);
      if (marker === 0xc0) {
        expect(jpeg[at + 4]).toBe(8); // precision
        expect(jpeg.readUInt16BE(at + 5)).toBe(1); // height
        expect(jpeg.readUInt16BE(at + 7)).toBe(1); // width
        expect(jpeg[at + 9]).toBe(1); // components
      }
      at += 2 + length;
      if (marker === 0xda) break;
    }
    expect(markers).toEqual([0xe0, 0xdb, 0xc0, 0xc4, 0xc4, 0xda]);
    expect(jpeg.subarray(6, 11).toString("latin1")).toBe("JFIF\0");
    // Scan data, then EOI at the very end.
    expect([...jpeg.subarray(at)]).toEqual([0x3f, 0xff, 0xd9]);
    expect(tinyJpeg().equals(jpeg)).toBe(true);
  });
});

describe("tinyPng", () => {
  it("has the signature, IHDR 1×1 RGB, an IDAT that inflates to one scanline, IEND, and correct CRCs", () => {
    const png = tinyPng([10, 20, 30]);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const chunks: { type: string; data: Buffer }[] = [];
    for (let at = 8; at < png.length; ) {
      const length = png.readUInt32BE(at);
      const type = png.subarray(at + 4, at + 8).toString("latin1");
      const data = png.subarray(at + 8, at + 8 + length);
      expect(png.readUInt32BE(at + 8 + length), type).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
      chunks.push({ type, data });
      at += 12 + length;
    }
    expect(chunks.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    const ihdr = chunks[0]!.data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ...ihdr.subarray(8)]).toEqual([1, 1, 8, 2, 0, 0, 0]);
    expect([...inflateSync(chunks[1]!.data)]).toEqual([0, 10, 20, 30]);
  });
});
