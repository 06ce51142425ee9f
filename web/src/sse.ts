/** One server-sent event, as the `text/event-stream` format defines it. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * An incremental parser for `text/event-stream`: feed it text as it arrives, in chunks cut anywhere,
 * and it calls `onEvent` once per complete event. The dashboard reads the stream with fetch (the
 * session cookie goes with it, as with every request; the token is never in a URL) so that it can
 * be aborted and its errors read as the API's, and parses it here.
 */
export function createSseParser(onEvent: (event: SseEvent) => void): {
  feed(chunk: string): void;
  end(): void;
} {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  let afterCr = false;

  const dispatch = (): void => {
    if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n'), id });
    event = '';
    data = [];
  };

  const line = (text: string): void => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) id = value;
  };

  return {
    feed(chunk) {
      if (chunk === '') return;
      // A chunk that ended in CR may be followed by the LF of the same CRLF: one line end, not two.
      const text = afterCr && chunk.startsWith('\n') ? chunk.slice(1) : chunk;
      afterCr = chunk.endsWith('\r');
      const lines = (buffer + text).split(/\r\n|\r|\n/);
      buffer = lines.pop() ?? '';
      for (const each of lines) line(each);
    },
    end() {
      // The spec drops an event that is not terminated by a blank line.
      buffer = '';
      event = '';
      data = [];
    },
  };
}

/** Yields the events of a `text/event-stream` body until the stream ends. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const queue: SseEvent[] = [];
  const parser = createSseParser((event) => queue.push(event));
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      yield* queue.splice(0);
    }
    parser.feed(decoder.decode());
    parser.end();
    yield* queue.splice(0);
  } finally {
    reader.releaseLock();
  }
}
