// Draws the app's icon (a pipeline of three bars, the oldest one red: a stale
// deal) into public/ as PNGs and favicon.ico, without an image library: the
// shapes are rectangles, so a small supersampling rasterizer and zlib suffice.
// Run `node scripts/make-icons.mjs` after changing the drawing; the files are committed.
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const NAVY = [30, 58, 138];
const WHITE = [255, 255, 255];
const RED = [220, 38, 38];

/** Shapes on a 0..1 square, later ones on top: [x0, y0, x1, y1, colour, cornerRadius]. */
const SHAPES = [
  [0, 0, 1, 1, NAVY, 0.2],
  [0.2, 0.22, 0.8, 0.36, WHITE, 0.04],
  [0.2, 0.43, 0.66, 0.57, WHITE, 0.04],
  [0.2, 0.64, 0.5, 0.78, RED, 0.04],
];

function inside([x0, y0, x1, y1, , r], x, y) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** RGBA pixels, 4×4 samples per pixel for smooth edges. */
function draw(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          const shape = SHAPES.findLast((s) => inside(s, x, y));
          if (!shape) continue;
          sum[0] += shape[4][0];
          sum[1] += shape[4][1];
          sum[2] += shape[4][2];
          sum[3] += 255;
        }
      }
      const covered = sum[3] / 255;
      const at = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) pixels[at + c] = covered ? Math.round(sum[c] / covered) : 0;
      pixels[at + 3] = Math.round(sum[3] / (n * n));
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, i) => {
  let c = i;
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
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
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
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
/** An .ico holding PNG images (supported by every current browser). */
function ico(sizes) {
  const images = sizes.map(png);
  const head = Buffer.alloc(6 + 16 * sizes.length);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(sizes.length, 4);
  let offset = head.length;
  sizes.forEach((size, i) => {
    const entry = 6 + 16 * i;
    head[entry] = size >= 256 ? 0 : size;
    head[entry + 1] = size >= 256 ? 0 : size;
    head.writeUInt16LE(1, entry + 4);
    head.writeUInt16LE(32, entry + 6);
    head.writeUInt32LE(images[i].length, entry + 8);
    head.writeUInt32LE(offset, entry + 12);
    offset += images[i].length;
  });
  return Buffer.concat([head, ...images]);
}

writeFileSync("public/favicon.ico", ico([16, 32, 48]));
writeFileSync("public/apple-touch-icon.png", png(180));
writeFileSync("public/icon-192.png", png(192));
writeFileSync("public/icon-512.png", png(512));
console.log("Wrote public/favicon.ico, apple-touch-icon.png, icon-192.png, icon-512.png");
