import { describe, expect, it } from 'vitest';
import { toJobUpdate } from './api';
import { parseTokenFragment } from './token';

const job = { id: 7, kind: 'scan', status: 'succeeded' };

describe('toJobUpdate', () => {
  const cases: { event: string; data: string; update: unknown }[] = [
    {
      event: 'progress',
      data: '{"phase":"analyse","done":2,"total":5}',
      update: { type: 'progress', progress: { phase: 'analyse', done: 2, total: 5 } },
    },
    {
      event: 'progress',
      data: 'reading files',
      update: { type: 'progress', progress: 'reading files' },
    },
    { event: 'status', data: 'running', update: { type: 'status', status: 'running' } },
    { event: 'status', data: '"running"', update: { type: 'status', status: 'running' } },
    {
      event: 'status',
      data: '{"status":"running"}',
      update: { type: 'status', status: 'running' },
    },
    {
      event: 'status',
      data: JSON.stringify({ ...job, status: 'running' }),
      update: { type: 'status', status: 'running', job: { ...job, status: 'running' } },
    },
    { event: 'done', data: JSON.stringify(job), update: { type: 'done', job } },
    { event: 'done', data: JSON.stringify({ job }), update: { type: 'done', job } },
    { event: 'message', data: '{}', update: null },
    { event: 'ping', data: '', update: null },
  ];
  for (const c of cases) {
    it(`${c.event} ${c.data}`, () => {
      expect(toJobUpdate({ event: c.event, data: c.data })).toEqual(c.update);
    });
  }
});

describe('parseTokenFragment', () => {
  const cases: [string, string | null][] = [
    ['#token=abc123', 'abc123'],
    ['token=abc123', 'abc123'],
    ['#repo=2&token=x%2By', 'x+y'],
    ['#token=', null],
    ['#token=%20', null],
    ['#repo=2', null],
    ['', null],
  ];
  for (const [hash, token] of cases) {
    it(`${JSON.stringify(hash)} -> ${token}`, () => expect(parseTokenFragment(hash)).toBe(token));
  }
});
