// Draws images/icon.png (128×128): a key in Cloudflare-like orange on a dark rounded square, with a check
// mark for "just enough". Shapes are signed-distance functions, 4×4 supersampled; PNG written with zlib.
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const N = 128;
const S = 4; // samples per axis

const box = (px, py, cx, cy, hw, hh, r = 0) => {
  const qx = Math.abs(px - cx) - hw + r;
  const qy = Math.abs(py - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (px, py, cx, cy, r) => Math.hypot(px - cx, py - cy) - r;
const segment = (px, py, ax, ay, bx, by, r) => {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy) - r;
};

const BG = [0x2b, 0x1a, 0x0e];
const KEY = [0xf3, 0x80, 0x20];
const CHECK = [0x5c, 0xd6, 0x7a];

/** Colour (rgba) at a point, painter's order: background, key, check. */
function shade(x, y) {
  let c = [0, 0, 0, 0];
  const over = (rgb) => (c = [...rgb, 255]);
  if (box(x, y, 64, 64, 62, 62, 22) <= 0) over(BG);
  // key: ring bow, shaft, two bits
  const ring = Math.max(circle(x, y, 40, 52, 22), -circle(x, y, 40, 52, 10));
  const shaft = box(x, y, 78, 52, 26, 7, 3);
  const bit1 = box(x, y, 92, 64, 4, 9, 2);
  const bit2 = box(x, y, 80, 62, 3.5, 6, 2);
  if (Math.min(ring, shaft, bit1, bit2) <= 0) over(KEY);
  // check mark, with a dark outline so it reads against the key
  const check = Math.min(segment(x, y, 58, 94, 72, 108, 6), segment(x, y, 72, 108, 102, 76, 6));
  if (check <= 3) over(BG);
  if (check <= 0) over(CHECK);
  return c;
}

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < N; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < S; sy++)
      for (let sx = 0; sx < S; sx++) {
        const c = shade(x + (sx + 0.5) / S, y + (sy + 0.5) / S);
        acc[0] += c[0] * c[3];
        acc[1] += c[1] * c[3];
        acc[2] += c[2] * c[3];
        acc[3] += c[3];
      }
    const o = y * (N * 4 + 1) + 1 + x * 4;
    const a = acc[3] / (S * S);
    raw[o] = a ? Math.round(acc[0] / acc[3]) : 0;
    raw[o + 1] = a ? Math.round(acc[1] / acc[3]) : 0;
    raw[o + 2] = a ? Math.round(acc[2] / acc[3]) : 0;
    raw[o + 3] = Math.round(a);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk("IHDR", ihdr),
  chunk("IDAT", deflateSync(raw, { level: 9 })),
  chunk("IEND", Buffer.alloc(0)),
]);
writeFileSync(new URL("./icon.png", import.meta.url), png);
