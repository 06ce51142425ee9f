import { AnswerTooLargeError } from '../llm/errors.js';

/**
 * Bytes of HTTP body allowed per byte of answer: JSON escaping and server-sent-event framing
 * (a few characters of text per event) make the body much larger than the text it carries.
 */
export const BODY_BYTES_PER_ANSWER_BYTE = 32;

/** Room for the envelope around a small answer: ids, usage, finish reasons. */
const ENVELOPE_BYTES = 64 * 1024;

/** The most body bytes read for an answer capped at `maxAnswerBytes`. */
export function bodyCap(maxAnswerBytes: number): number {
  return maxAnswerBytes * BODY_BYTES_PER_ANSWER_BYTE + ENVELOPE_BYTES;
}

/**
 * A fetch whose response bodies stop at `maxBytes`: past it, reading fails with an
 * AnswerTooLargeError and the connection is dropped, so an endless or huge answer costs at most
 * the cap in memory and time. Bodies are counted after decompression.
 */
export function cappedFetch(
  base: typeof globalThis.fetch,
  options: { deployment: string; maxBytes: number },
): typeof globalThis.fetch {
  const tooLarge = () => new AnswerTooLargeError(options.deployment, options.maxBytes, 'response');
  return async (input, init) => {
    const response = await base(input, init);
    if (!response.body) return response;
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw tooLarge();
    }
    let seen = 0;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > options.maxBytes) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(counter), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
