/**
 * Splits a TLS byte stream into records (RFC 8446 §5.1: type, legacy version, 16-bit length),
 * so the attacker can say what it sees of sealed traffic (the sizes of records) and, for the tamper
 * scenario, flip one byte inside an application-data record.
 */
export const CONTENT_TYPE: Record<number, string> = { 20: "change_cipher_spec", 21: "alert", 22: "handshake", 23: "application_data" };

export class RecordScanner {
  private header = Buffer.alloc(0);
  private remaining = 0;
  private current = 0;
  /** Count of complete records seen, by content type. */
  readonly counts = new Map<number, number>();

  /**
   * Feed bytes; `onRecord(type, index)` runs at each record start (index counts that type),
   * and may return an offset into the record body at which to flip a bit.
   */
  scan(chunk: Buffer, onRecord: (type: number, index: number, length: number) => number | null): { records: number } {
    let records = 0;
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining === 0) {
        const need = 5 - this.header.length;
        const take = chunk.subarray(i, i + need);
        this.header = Buffer.concat([this.header, take]);
        i += take.length;
        if (this.header.length < 5) break;
        const type = this.header[0];
        const length = this.header.readUInt16BE(3);
        this.header = Buffer.alloc(0);
        this.current = type;
        const index = (this.counts.get(type) ?? 0) + 1;
        this.counts.set(type, index);
        records++;
        this.remaining = length;
        const flipAt = onRecord(type, index, length);
        if (flipAt !== null && flipAt < length && i + flipAt < chunk.length) {
          chunk[i + flipAt] ^= 0x01; // one bit of ciphertext: AEAD makes the receiver reject the record
        }
      }
      const take = Math.min(this.remaining, chunk.length - i);
      this.remaining -= take;
      i += take;
    }
    return { records };
  }
}
