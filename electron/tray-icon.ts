import zlib from 'node:zlib';

// The tray icon, drawn here rather than shipped as files: a round badge whose colour says how things are (the
// packaged app carries no image assets, and four states would need four files per platform and scale).

export type TrayTone = 'ok' | 'attention' | 'problem' | 'busy';

const tones: Record<TrayTone, [number, number, number]> = {
  ok: [0x1f, 0x6f, 0xb2], // blue: all well
  attention: [0xd9, 0x8e, 0x04], // amber: records need a person
  problem: [0xc4, 0x2b, 0x1c], // red: a flow could not run, or the engine is down
  busy: [0x6b, 0x72, 0x80], // grey: starting or restarting
};

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A square RGBA PNG of `size` pixels: a filled disc in the tone's colour with a white ring inside. */
export function trayIconPng(tone: TrayTone, size = 32): Buffer {
  const [r, g, b] = tones[tone];
  const raw = Buffer.alloc(size * (size * 4 + 1));
  const c = (size - 1) / 2;
  const outer = size / 2 - 0.5;
  const ringOut = outer * 0.55;
  const ringIn = outer * 0.35;
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c);
      const alpha = Math.max(0, Math.min(1, outer - d + 0.5));
      const white = Math.max(0, Math.min(1, ringOut - d + 0.5)) * Math.max(0, Math.min(1, d - ringIn + 0.5));
      const i = row + 1 + x * 4;
      raw[i] = Math.round(r + (255 - r) * white);
      raw[i + 1] = Math.round(g + (255 - g) * white);
      raw[i + 2] = Math.round(b + (255 - b) * white);
      raw[i + 3] = Math.round(alpha * 255);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
