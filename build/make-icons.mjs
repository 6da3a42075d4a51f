#!/usr/bin/env node
// Draws the app icon (build/icons/512x512.png and 256x256.png) with zlib alone, so packaging needs no
// image tools and the icon can be regenerated anywhere: `node build/make-icons.mjs`.
// The picture: a blue rounded square holding a stack of three white container layers, with an orange
// commit dot on a branch line: containers kept in Git.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG: one filter byte (none) before each row, the rows deflated into one IDAT. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Shapes as signed distances in unit coordinates (negative inside), so edges can be anti-aliased.
function roundedRect(x, y, cx, cy, halfW, halfH, radius) {
  const qx = Math.abs(x - cx) - halfW + radius;
  const qy = Math.abs(y - cy) - halfH + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const segment = (x, y, ax, ay, bx, by, halfWidth) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay)) - halfWidth;
};

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const TOP = [41, 128, 214];
const BOTTOM = [13, 59, 110];
const WHITE = [255, 255, 255];
const ORANGE = [245, 152, 28];

/** Colour and coverage of one point; layers are painted back to front. */
function paint(x, y, pixel) {
  let color = [0, 0, 0];
  let alpha = 0;
  const layer = (distance, rgb) => {
    const cover = Math.max(0, Math.min(1, 0.5 - distance / pixel));
    color = mix(color, rgb, alpha === 0 ? 1 : cover);
    alpha = alpha + (1 - alpha) * cover;
  };
  layer(roundedRect(x, y, 0.5, 0.5, 0.46, 0.46, 0.2), mix(TOP, BOTTOM, y));
  for (const [cy, halfWidth] of [
    [0.34, 0.2],
    [0.5, 0.22],
    [0.66, 0.24],
  ]) {
    layer(roundedRect(x, y, 0.4, cy, halfWidth, 0.058, 0.03), WHITE);
  }
  layer(segment(x, y, 0.78, 0.22, 0.78, 0.78, 0.02), ORANGE);
  for (const cy of [0.34, 0.66]) {
    layer(circle(x, y, 0.78, cy, 0.07), ORANGE);
    layer(circle(x, y, 0.78, cy, 0.032), WHITE);
  }
  return { color, alpha };
}

function render(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const pixel = 1 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const { color, alpha } = paint((px + 0.5) / size, (py + 0.5) / size, pixel);
      rgba.set([...color.map(Math.round), Math.round(alpha * 255)], (py * size + px) * 4);
    }
  }
  return encodePng(size, rgba);
}

const outDir = new URL('./icons/', import.meta.url);
mkdirSync(outDir, { recursive: true });
for (const size of [512, 256]) {
  writeFileSync(new URL(`${size}x${size}.png`, outDir), render(size));
  process.stdout.write(`build/icons/${size}x${size}.png\n`);
}
