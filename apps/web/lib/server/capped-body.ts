/**
 * Reads a request body up to `limit` bytes, counting as it streams: a declared Content-Length over the
 * limit is refused before a byte is read, and a body that grows past it is cancelled there. Nothing
 * larger than the limit is ever held in memory. Null means too large.
 */
export async function readCappedBody(req: Request, limit: number): Promise<Uint8Array | null> {
  const declared = req.headers.get('content-length');
  if (declared !== null && !(/^\d{1,15}$/.test(declared) && Number(declared) <= limit)) return null;
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export const tooLargeMessage = (limit: number) => `The request body is over ${Math.floor(limit / 1024)} KiB.`;
