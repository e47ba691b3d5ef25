import { closeSync, fchmodSync, fstatSync, openSync, readSync, writeSync } from "node:fs";

/** Size of a tar block: headers are one block, contents are padded to whole blocks. */
export const TAR_BLOCK = 512;
/** Largest size an 11-digit octal field holds; bigger files use the base-256 form (GNU, POSIX-accepted). */
const OCTAL_SIZE_MAX = 8 ** 11 - 1;
const COPY_CHUNK = 1 << 20;

function putString(h: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, "utf8");
  if (bytes.length > length) throw new Error(`tar field too long: ${value}`);
  bytes.copy(h, offset);
}

function putOctal(h: Buffer, offset: number, length: number, value: number): void {
  putString(h, offset, length, `${value.toString(8).padStart(length - 1, "0")}\0`);
}

function putSize(h: Buffer, size: number): void {
  if (size <= OCTAL_SIZE_MAX) {
    putOctal(h, 124, 12, size);
    return;
  }
  // Base-256: high bit of the first byte set, the value big-endian in the field's remaining bytes.
  h[124] = 0x80;
  let v = BigInt(size);
  for (let i = 135; i > 124; i--) {
    h[i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** One ustar header block for a regular file (`0`) or a directory (`5`). */
function header(name: string, size: number, mode: number, mtimeMs: number, type: "0" | "5"): Buffer {
  const h = Buffer.alloc(TAR_BLOCK);
  putString(h, 0, 100, name);
  putOctal(h, 100, 8, mode & 0o7777);
  putOctal(h, 108, 8, 0);
  putOctal(h, 116, 8, 0);
  putSize(h, size);
  putOctal(h, 136, 12, Math.floor(mtimeMs / 1000));
  h.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  putString(h, 156, 1, type);
  putString(h, 257, 6, "ustar\0");
  putString(h, 263, 2, "00");
  let sum = 0;
  for (const b of h) sum += b;
  putString(h, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return h;
}

/**
 * Writes a POSIX ustar archive, streaming file contents (a database can be large). Names are relative
 * paths of at most 100 bytes; owner ids are 0, modes as given. `tar -tvf` and `tar -xf` read it.
 */
export class TarWriter {
  private readonly fd: number;
  private closed = false;

  /** Creates `path` (exclusive) with `mode`. */
  constructor(path: string, mode: number) {
    this.fd = openSync(path, "wx", mode);
    fchmodSync(this.fd, mode); // exact, whatever the umask
  }

  addDirectory(name: string, mode: number): void {
    writeSync(this.fd, header(name.endsWith("/") ? name : `${name}/`, 0, mode, Date.now(), "5"));
  }

  addBuffer(name: string, data: Buffer, mode: number): void {
    writeSync(this.fd, header(name, data.length, mode, Date.now(), "0"));
    writeSync(this.fd, data);
    this.pad(data.length);
  }

  /**
   * Adds the file at `source` as `name`: the bytes it has when opened (a file appended to meanwhile
   * contributes what it had then), handing every chunk to `onChunk` (e.g. a hash). Returns its size.
   */
  addFile(name: string, source: string, mode: number, onChunk: (chunk: Buffer) => void = () => {}): number {
    const src = openSync(source, "r");
    try {
      const st = fstatSync(src);
      const size = st.size;
      writeSync(this.fd, header(name, size, mode, st.mtimeMs, "0"));
      const buf = Buffer.alloc(Math.min(COPY_CHUNK, Math.max(size, 1)));
      let done = 0;
      while (done < size) {
        const n = readSync(src, buf, 0, Math.min(buf.length, size - done), done);
        if (n === 0) throw new Error(`${source} shrank while it was archived`);
        onChunk(buf.subarray(0, n));
        writeSync(this.fd, buf, 0, n);
        done += n;
      }
      this.pad(size);
      return size;
    } finally {
      closeSync(src);
    }
  }

  /** Writes the end-of-archive marker and closes the file. */
  finish(): void {
    writeSync(this.fd, Buffer.alloc(TAR_BLOCK * 2));
    this.close();
  }

  /** Closes without finishing (after a failure; the caller removes the file). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private pad(size: number): void {
    const rest = size % TAR_BLOCK;
    if (rest !== 0) writeSync(this.fd, Buffer.alloc(TAR_BLOCK - rest));
  }
}
