import type { Command } from 'commander';
import { InputError, resolveConfig } from '../../core/index.js';
import { readGitInfo } from '../../analysis/index.js';
import { chatAboutCodebase, type ChatEvent, type ChatResult } from '../../pipeline/index.js';
import { defaultStorePath, openStore, repositoryIdOf } from '../../store/index.js';
import { commaList, dbOption, EXIT, requireFolder, type CliIo } from '../io.js';

interface AskFlags {
  session?: string;
  model?: string[];
  offline?: boolean;
  json?: boolean;
  db?: string;
}

function sessionOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,15}$/.test(value)) throw new InputError(`--session: not a session id: ${value}`);
  return Number(value);
}

/** Pure: what the answer is, in one line above its citations. */
export function describeAnswer(result: ChatResult): string {
  const { answer } = result;
  const at = answer.commit ? ` at commit ${answer.commit.slice(0, 12)}` : '';
  if (answer.mode === 'unknown')
    return `Not answered: nothing relevant retrieved${at} (no model asked).`;
  if (answer.mode === 'extractive') return `Extractive answer (no language model)${at}.`;
  const repaired = answer.repaired ? ', after one repair of its citations' : '';
  return `Grounded answer by ${answer.model ?? 'a model'}${at}${repaired}.`;
}

/** Pure: each citation with ok or why it failed, and the verdict. */
export function formatCitations(result: ChatResult): string[] {
  const { citations, failed } = result.answer;
  if (citations.length === 0) return ['Citations: none.'];
  const lines = citations.map((c) => {
    const where =
      c.startLine === c.endLine
        ? `${c.file}:${c.startLine}`
        : `${c.file}:${c.startLine}-${c.endLine}`;
    return c.ok ? `  ok      ${where}` : `  FAILED  ${where}: ${c.detail}`;
  });
  const verdict =
    failed === 0
      ? `Citations: ${citations.length} checked against the indexed commit, all hold.`
      : `Citations: ${failed} of ${citations.length} FAILED against the indexed commit; they are marked in the answer, which is not backed by the code there.`;
  return [verdict, ...lines];
}

export function registerAskCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('ask')
    .description(
      'Ask a question about a repository\'s code: answered from the index with [path:start-end] citations, each checked against the indexed commit. Exit 0 with an answer whose citations hold (or an extractive or "don\'t know" answer), 1 when citations still fail after one repair (the answer is printed with them marked)',
    )
    .argument('<question>', 'the question')
    .argument('[path]', 'the repository (a git work tree)', '.')
    .option(
      '--session <id>',
      'continue this conversation (its earlier questions and answers are given to the model)',
    )
    .option(
      '--model <ids>',
      'language model(s) to ask, e.g. custom:local (comma-separated or repeated)',
      commaList,
    )
    .option(
      '--offline',
      'ask no model: an extractive answer (the best matching declarations, their code and uses)',
    )
    .option('--json', 'print the answer, its citations and the session as JSON')
    .addOption(dbOption())
    .action(async (question: string, target: string, flags: AskFlags) => {
      const sessionId = sessionOf(flags.session);
      const folder = await requireFolder(io, target);
      const git = await readGitInfo(folder);
      if (!git?.commit)
        throw new InputError(
          `${target} is not a git repository with a commit: answers are checked against the indexed commit`,
        );
      const root = git.toplevel;
      const { config } = await resolveConfig(root, io.env);
      const store = await openStore(flags.db ?? defaultStorePath(io.env));
      try {
        const streaming = !flags.json && io.stdout.isTTY === true;
        let attempt = 0;
        const onEvent = (event: ChatEvent): void => {
          if (!streaming || event.type !== 'text') return;
          if (event.attempt !== attempt) {
            if (event.attempt === 2)
              io.stdout.write(
                '\n\n[some citations failed the check; asked once to repair them]\n\n',
              );
            attempt = event.attempt;
          }
          io.stdout.write(event.delta);
        };
        const result = await chatAboutCodebase({
          store,
          repoId: await repositoryIdOf(store, root),
          root,
          question,
          ...(sessionId !== undefined ? { sessionId } : {}),
          models: config.models,
          env: io.env,
          ...(flags.model && flags.model.length > 0 ? { modelOverride: flags.model } : {}),
          offline: flags.offline === true,
          onEvent,
        });
        for (const warning of result.warnings) io.stderr.write(`warning: ${warning}\n`);
        const { answer } = result;
        if (flags.json) {
          const { sessionId: session, messageId, index, retrieval } = result;
          io.stdout.write(
            `${JSON.stringify({ sessionId: session, messageId, answer, retrieval, index }, null, 2)}\n`,
          );
        } else {
          const text = streaming
            ? answer.failed > 0
              ? `\n\nThe answer with its failed citations marked:\n\n${answer.text}\n`
              : '\n'
            : `${answer.text}\n`;
          io.stdout.write(
            [
              text,
              describeAnswer(result),
              `Retrieval: ${result.retrieval.mode}${result.retrieval.notice ? ` (${result.retrieval.notice})` : ''}.`,
              ...formatCitations(result),
              `Session: ${result.sessionId} (continue with --session ${result.sessionId})`,
              '',
            ].join('\n'),
          );
        }
        done(answer.failed > 0 ? EXIT.gateFailed : EXIT.ok);
      } finally {
        await store.close();
      }
    });
}
