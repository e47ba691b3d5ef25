import { chmodSync, closeSync, openSync, readSync, writeSync } from "node:fs";
import { TAR_BLOCK } from "./tar-writer.js";

/** One member of a tar archive: where its contents start in the file, and their size. */
export interface TarEntry {
  name: string;
  type: "file" | "directory" | "other";
  mode: number;
  size: number;
  /** Byte offset of the contents in the archive. */
  offset: number;
}

/** The archive is not a tar file, or is cut short. */
export class TarFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TarFormatError";
  }
}

function field(h: Buffer, offset: number, length: number): string {
  const raw = h.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString("utf8");
}

function octal(h: Buffer, offset: number, length: number, what: string): number {
  const text = field(h, offset, length).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`not a tar archive (bad ${what} field)`);
  return Number.parseInt(text, 8);
}

function size(h: Buffer): number {
  if ((h[124]! & 0x80) === 0) return octal(h, 124, 12, "size");
  let v = 0n;
  for (let i = 125; i < 136; i++) v = (v << 8n) | BigInt(h[i]!);
  return Number(v);
}

function checksumOk(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum === octal(h, 148, 8, "checksum");
}

/**
 * Lists the members of the ustar archive at `path` (headers only; contents are read with
 * {@link copyTarEntry}). Throws TarFormatError for anything that is not a well-formed archive.
 */
export function listTar(path: string): TarEntry[] {
  const fd = openSync(path, "r");
  try {
    const entries: TarEntry[] = [];
    const h = Buffer.alloc(TAR_BLOCK);
    let pos = 0;
    for (;;) {
      const n = readSync(fd, h, 0, TAR_BLOCK, pos);
      if (n < TAR_BLOCK) throw new TarFormatError("archive is cut short (no end-of-archive marker)");
      if (h.every((b) => b === 0)) return entries;
      if (!checksumOk(h)) throw new TarFormatError(`not a tar archive (bad header checksum at byte ${pos})`);
      const prefix = field(h, 345, 155);
      const base = field(h, 0, 100);
      const type = field(h, 156, 1);
      const entry: TarEntry = {
        name: prefix ? `${prefix}/${base}` : base,
        type: type === "0" || type === "" ? "file" : type === "5" ? "directory" : "other",
        mode: octal(h, 100, 8, "mode"),
        size: size(h),
        offset: pos + TAR_BLOCK,
      };
      entries.push(entry);
      pos = entry.offset + Math.ceil(entry.size / TAR_BLOCK) * TAR_BLOCK;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Copies one member's contents to `dest` (created exclusively with `mode`), handing every chunk to
 * `onChunk` (e.g. a hash). Throws TarFormatError when the archive ends before the member does.
 */
export function copyTarEntry(
  archive: string,
  entry: TarEntry,
  dest: string,
  mode: number,
  onChunk: (chunk: Buffer) => void = () => {},
): void {
  const src = openSync(archive, "r");
  try {
    const out = openSync(dest, "wx", mode);
    try {
      const buf = Buffer.alloc(Math.min(1 << 20, Math.max(entry.size, 1)));
      let done = 0;
      while (done < entry.size) {
        const n = readSync(src, buf, 0, Math.min(buf.length, entry.size - done), entry.offset + done);
        if (n === 0) throw new TarFormatError(`archive is cut short inside ${entry.name}`);
        onChunk(buf.subarray(0, n));
        writeSync(out, buf, 0, n);
        done += n;
      }
    } finally {
      closeSync(out);
    }
    chmodSync(dest, mode); // exact, whatever the umask
  } finally {
    closeSync(src);
  }
}

/** Reads one (small) member into memory. */
export function readTarEntry(archive: string, entry: TarEntry): Buffer {
  const fd = openSync(archive, "r");
  try {
    const buf = Buffer.alloc(entry.size);
    const n = entry.size === 0 ? 0 : readSync(fd, buf, 0, entry.size, entry.offset);
    if (n < entry.size) throw new TarFormatError(`archive is cut short inside ${entry.name}`);
    return buf;
  } finally {
    closeSync(fd);
  }
}
