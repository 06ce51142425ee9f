import { describe, expect, it } from 'vitest';
import { createSseParser, readSse, type SseEvent } from './sse';

function parse(chunks: readonly string[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser((e) => events.push(e));
  for (const chunk of chunks) parser.feed(chunk);
  parser.end();
  return events;
}

describe('createSseParser', () => {
  const cases: { name: string; chunks: string[]; events: SseEvent[] }[] = [
    {
      name: 'a named event with JSON data',
      chunks: ['event: progress\ndata: {"done":1}\n\n'],
      events: [{ event: 'progress', data: '{"done":1}', id: undefined }],
    },
    {
      name: 'an unnamed event is a message',
      chunks: ['data: hello\n\n'],
      events: [{ event: 'message', data: 'hello', id: undefined }],
    },
    {
      name: 'data lines are joined with newlines',
      chunks: ['data: a\ndata: b\ndata\n\n'],
      events: [{ event: 'message', data: 'a\nb\n', id: undefined }],
    },
    {
      name: 'comments and unknown fields are ignored; only one leading space is stripped',
      chunks: [': keep-alive\nretry: 10\nfoo: bar\ndata:  two spaces\n\n'],
      events: [{ event: 'message', data: ' two spaces', id: undefined }],
    },
    {
      name: 'chunks cut inside a field, inside a CRLF and between events',
      chunks: ['ev', 'ent: status\r', '\ndata: run', 'ning\r\n', '\r\nevent: done\rdata: {}\r\r'],
      events: [
        { event: 'status', data: 'running', id: undefined },
        { event: 'done', data: '{}', id: undefined },
      ],
    },
    {
      name: 'an id is kept for later events; the event name is not',
      chunks: ['id: 3\nevent: a\ndata: 1\n\ndata: 2\n\n'],
      events: [
        { event: 'a', data: '1', id: '3' },
        { event: 'message', data: '2', id: '3' },
      ],
    },
    {
      name: 'a block without data dispatches nothing',
      chunks: ['event: empty\n\n'],
      events: [],
    },
    {
      name: 'an event not ended by a blank line is dropped',
      chunks: ['data: complete\n\ndata: cut off'],
      events: [{ event: 'message', data: 'complete', id: undefined }],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      expect(parse(c.chunks)).toEqual(c.events);
    });
  }

  it('gives the same events however the stream is cut', () => {
    const text =
      'event: progress\r\ndata: {"n":1}\r\n\r\n: ping\n\nevent: done\ndata: {"ok":true}\n\n';
    const whole = parse([text]);
    for (let cut = 1; cut < text.length; cut++) {
      expect(parse([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    }
    expect(parse([...text])).toEqual(whole);
  });
});

describe('readSse', () => {
  it('decodes UTF-8 split across chunks and yields events in order', async () => {
    const bytes = new TextEncoder().encode('data: größe ✓\n\nevent: done\ndata: 1\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.slice(i, i + 3));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    for await (const event of readSse(body)) events.push(event);
    expect(events.map((e) => [e.event, e.data])).toEqual([
      ['message', 'größe ✓'],
      ['done', '1'],
    ]);
  });
});
