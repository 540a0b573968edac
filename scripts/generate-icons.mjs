#!/usr/bin/env node
// Draws the FlowForge mark (a white "F" on a rounded indigo square) and writes
// public/favicon.ico (16, 32 and 48 px PNGs), public/apple-touch-icon.png (180 px)
// and public/icon-192.png / icon-512.png. Run once after changing the mark; the
// output is committed. No image library: PNG is zlib-compressed rows plus CRCs.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public');
const BACKGROUND = [79, 70, 229]; // indigo-600
const FOREGROUND = [255, 255, 255];

/** RGBA pixels of the mark at `size` px, drawn on a 16-unit grid with a rounded square and an "F". */
function draw(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const radius = size * 0.2;
  const inF = (u, v) =>
    (u >= 5 && u < 7.5 && v >= 3.5 && v < 12.5) || // stem
    (u >= 5 && u < 11.5 && v >= 3.5 && v < 6) || // top bar
    (u >= 5 && u < 10 && v >= 7 && v < 9.5); // middle bar
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const cx = Math.min(Math.max(x + 0.5, radius), size - radius);
      const cy = Math.min(Math.max(y + 0.5, radius), size - radius);
      const inside = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= radius;
      const colour = inF(((x + 0.5) / size) * 16, ((y + 0.5) / size) * 16) ? FOREGROUND : BACKGROUND;
      pixels.set([...colour, inside ? 255 : 0], (y * size + x) * 4);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function png(size) {
  const pixels = draw(size);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
/** An ICO file holding PNG images (supported by every browser since Windows Vista-era IE). */
function ico(sizes) {
  const images = sizes.map(png);
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map((image, index) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(sizes[index] % 256, 0);
    entry.writeUInt8(sizes[index] % 256, 1);
    entry.writeUInt16LE(1, 4); // planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(image.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += image.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images]);
}

writeFileSync(path.join(out, 'favicon.ico'), ico([16, 32, 48]));
writeFileSync(path.join(out, 'apple-touch-icon.png'), png(180));
writeFileSync(path.join(out, 'icon-192.png'), png(192));
writeFileSync(path.join(out, 'icon-512.png'), png(512));
console.log(`wrote icons to ${out}`);
