import { describe, expect, it } from 'vitest';
import { blocksToChanges, parseEditBlocks } from './edit-blocks.js';

const block = (file: string, search: string, replace: string): string =>
  `${file}\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE`;

describe('parseEditBlocks', () => {
  it.each([
    [
      'one block',
      block('src/a.ts', 'var x = 1;', 'const x = 1;'),
      [{ file: 'src/a.ts', search: 'var x = 1;', replace: 'const x = 1;' }],
    ],
    [
      'a fenced block',
      `\`\`\`ts\n${block('src/a.ts', 'a', 'b')}\n\`\`\``,
      [{ file: 'src/a.ts', search: 'a', replace: 'b' }],
    ],
    [
      'a path in backticks',
      block('`src/a.ts`', 'a', 'b'),
      [{ file: 'src/a.ts', search: 'a', replace: 'b' }],
    ],
    [
      'an empty replacement',
      block('a.ts', 'debugger;', ''),
      [{ file: 'a.ts', search: 'debugger;', replace: '' }],
    ],
    [
      'multi-line text',
      block('a.ts', 'if (a) {\n  b();\n}', 'if (a) b();'),
      [{ file: 'a.ts', search: 'if (a) {\n  b();\n}', replace: 'if (a) b();' }],
    ],
    [
      'CRLF answers',
      block('a.ts', 'a', 'b').replace(/\n/g, '\r\n'),
      [{ file: 'a.ts', search: 'a', replace: 'b' }],
    ],
    [
      'two blocks',
      `${block('a.ts', 'a', 'b')}\n\n${block('b.ts', 'c', 'd')}`,
      [
        { file: 'a.ts', search: 'a', replace: 'b' },
        { file: 'b.ts', search: 'c', replace: 'd' },
      ],
    ],
  ])('accepts %s', (_name, answer, blocks) => {
    const parsed = parseEditBlocks(answer);
    expect(parsed).toMatchObject({ ok: true, blocks });
  });

  it('takes the title and the prose around the blocks as the rationale', () => {
    const parsed = parseEditBlocks(
      `TITLE: Use const for 'x'\nIt is never reassigned.\n${block('a.ts', 'let x', 'const x')}`,
    );
    expect(parsed).toMatchObject({
      ok: true,
      title: "Use const for 'x'",
      rationale: 'It is never reassigned.',
    });
  });

  it.each([
    ['no blocks at all', 'I would change var to const.', /no edit blocks/],
    ['an empty answer', '', /no edit blocks/],
    [
      'a block with no file line',
      '<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE',
      /naming a repository-relative file/,
    ],
    ['an absolute path', block('/etc/passwd', 'a', 'b'), /naming a repository-relative file/],
    [
      'a path leaving the repository',
      block('../x.ts', 'a', 'b'),
      /naming a repository-relative file/,
    ],
    ['a missing divider', 'a.ts\n<<<<<<< SEARCH\na\n>>>>>>> REPLACE', /unexpected replace marker/],
    ['an unterminated block', 'a.ts\n<<<<<<< SEARCH\na\n=======\nb', /ends inside an edit block/],
    ['a stray divider', 'text\n=======\nmore', /divider marker outside a block/],
    [
      'a nested search',
      'a.ts\n<<<<<<< SEARCH\n<<<<<<< SEARCH\n=======\n>>>>>>> REPLACE',
      /unexpected search marker/,
    ],
    ['a unified diff', '--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-var x\n+const x', /no edit blocks/],
    [
      'markers of the wrong length',
      'a.ts\n<<<<<< SEARCH\na\n======\nb\n>>>>>> REPLACE',
      /no edit blocks/,
    ],
  ])('rejects %s with a reason', (_name, answer, reason) => {
    const parsed = parseEditBlocks(answer);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('blocksToChanges', () => {
  const files: Record<string, string> = {
    'a.ts': 'var x = 1;\nvar y = 2;\nvar y = 2;\n',
    'crlf.ts': 'let a = 1;\r\nlet b = 2;\r\n',
  };
  const readFile = (file: string): Promise<string> =>
    file in files ? Promise.resolve(files[file] as string) : Promise.reject(new Error('ENOENT'));

  it('turns a uniquely matching block into an edit of the original text', async () => {
    const result = await blocksToChanges(
      [{ file: 'a.ts', search: 'var x = 1;', replace: 'const x = 1;' }],
      readFile,
    );
    expect(result).toEqual({
      ok: true,
      changes: [{ file: 'a.ts', edits: [{ start: 0, end: 10, text: 'const x = 1;' }] }],
    });
  });

  it('keeps the line endings of a CRLF file', async () => {
    const result = await blocksToChanges(
      [
        {
          file: 'crlf.ts',
          search: 'let a = 1;\nlet b = 2;',
          replace: 'const a = 1;\nconst b = 2;',
        },
      ],
      readFile,
    );
    expect(result).toMatchObject({
      ok: true,
      changes: [{ edits: [{ start: 0, text: 'const a = 1;\r\nconst b = 2;' }] }],
    });
  });

  it.each([
    [
      'text that matches twice',
      { file: 'a.ts', search: 'var y = 2;', replace: 'x' },
      /matches 2 times/,
    ],
    ['text that is not there', { file: 'a.ts', search: 'var z', replace: 'x' }, /matches 0 times/],
    ['an empty search', { file: 'a.ts', search: '  ', replace: 'x' }, /empty SEARCH/],
    ['a missing file', { file: 'b.ts', search: 'a', replace: 'b' }, /no such file/],
  ])('rejects %s', async (_name, edit, reason) => {
    const result = await blocksToChanges([edit], readFile);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('rejects blocks that overlap', async () => {
    const result = await blocksToChanges(
      [
        { file: 'a.ts', search: 'var x = 1;\nvar y', replace: '' },
        { file: 'a.ts', search: 'x = 1;', replace: '' },
      ],
      readFile,
    );
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/overlap/) });
  });
});
