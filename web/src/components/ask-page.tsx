import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from './alert';
import { ApiError } from '../api';
import { applyChatEvent, ask, newTurn, turnsOf, type ChatMessage, type Turn } from '../chat';
import {
  citationLink,
  splitBlocks,
  splitCitations,
  type AnswerBlock,
  type AnswerPart,
} from '../citations';
import { errorText, useResource, useSession } from '../context';
import { plural } from '../format';
import { routeHref } from '../route';
import type { ChatAnswer, CheckedCitation } from '../types';

type Citation = Extract<AnswerPart, { kind: 'citation' }>;

/** A citation as a link to the code view at its lines and commit, marked if it failed its check. */
function CitationView({
  repoId,
  part,
  commit,
}: {
  repoId: string;
  part: Citation;
  commit: string | null;
}) {
  const { label, href, state, why } = citationLink(repoId, part, commit);
  return (
    <span class={`cite cite-${state}`} data-citation={label} data-state={state}>
      [
      {href ? (
        <a href={href}>
          <code>{label}</code>
        </a>
      ) : (
        <code>{label}</code>
      )}
      {state === 'failed' && <span class="cite-failure"> ✗ citation failed: {why}</span>}]
    </span>
  );
}

/** Prose with its citations as links and `inline code` as code. */
function Inline({
  repoId,
  text,
  offset,
  checks,
  commit,
}: {
  repoId: string;
  text: string;
  offset: number;
  checks: readonly CheckedCitation[];
  commit: string | null;
}) {
  const out: ComponentChildren[] = [];
  splitCitations(text, checks, offset).forEach((part, i) => {
    if (part.kind === 'citation') {
      out.push(<CitationView key={i} repoId={repoId} part={part} commit={commit} />);
      return;
    }
    part.text.split(/(`[^`\n]+`)/).forEach((piece, k) => {
      if (piece.startsWith('`') && piece.endsWith('`') && piece.length > 2)
        out.push(<code key={`${i}-${k}`}>{piece.slice(1, -1)}</code>);
      else if (piece) out.push(piece);
    });
  });
  return <>{out}</>;
}

/** Prose line by line: `#` headings as headings, other lines as they are. */
function Prose({
  repoId,
  block,
  checks,
  commit,
}: {
  repoId: string;
  block: Extract<AnswerBlock, { kind: 'prose' }>;
  checks: readonly CheckedCitation[];
  commit: string | null;
}) {
  let at = block.offset;
  return (
    <>
      {block.text.split('\n').map((line, i, lines) => {
        const offset = at;
        at += line.length + 1;
        const heading = /^(#{1,6})\s+/.exec(line);
        const body = heading ? line.slice(heading[0].length) : line;
        const inline = (
          <Inline
            repoId={repoId}
            text={body}
            offset={offset + (heading?.[0].length ?? 0)}
            checks={checks}
            commit={commit}
          />
        );
        return heading ? (
          <strong key={i} class="answer-heading">
            {inline}
          </strong>
        ) : (
          <span key={i}>
            {inline}
            {i < lines.length - 1 && '\n'}
          </span>
        );
      })}
    </>
  );
}

/** An answer's text: prose with linked citations, and the code it quotes. */
export function AnswerText({
  repoId,
  text,
  checks,
  commit,
}: {
  repoId: string;
  text: string;
  checks: readonly CheckedCitation[];
  commit: string | null;
}) {
  return (
    <div class="answer-text">
      {splitBlocks(text).map((block, i) =>
        block.kind === 'code' ? (
          <pre key={i} class="answer-code" tabIndex={0}>
            <code>{block.text.replace(/\n$/, '')}</code>
          </pre>
        ) : (
          <Prose key={i} repoId={repoId} block={block} checks={checks} commit={commit} />
        ),
      )}
    </div>
  );
}

/** What kind of answer this is, in words, and how its citations fared. */
export function modeText(answer: ChatAnswer): string {
  const checked = answer.citations.length;
  const at = answer.commit ? ` at commit ${answer.commit.slice(0, 12)}` : '';
  const citations =
    checked === 0
      ? 'no citations'
      : answer.failed > 0
        ? `${answer.failed} of ${plural(checked, 'citation')} failed the check against the index${at}`
        : `${plural(checked, 'citation')}, each checked against the index${at}`;
  switch (answer.mode) {
    case 'grounded':
      return (
        `Grounded answer by ${answer.model ?? 'a language model'}: ${citations}` +
        (answer.repaired
          ? '; its first citations failed and it was rewritten once to repair them'
          : '') +
        '.'
      );
    case 'extractive':
      return `Extractive answer, no language model used: the best matching code as it is; ${citations}.`;
    default:
      return 'No answer: nothing in the index is relevant to the question.';
  }
}

function TurnView({ repoId, turn }: { repoId: string; turn: Turn }) {
  const { answer, streaming } = turn;
  const commit = answer?.commit ?? null;
  return (
    <li class="turn" data-mode={answer?.mode ?? (streaming ? 'streaming' : 'none')}>
      {turn.question && (
        <p class="question">
          <span class="who">You asked:</span> {turn.question}
        </p>
      )}
      <div class="answer" aria-busy={streaming}>
        <p class={`answer-mode mode-${answer?.mode ?? 'pending'}`} data-testid="answer-mode">
          {answer
            ? modeText(answer)
            : streaming
              ? turn.text
                ? 'Writing the answer…'
                : turn.retrieved.length > 0
                  ? `Reading ${turn.retrieved
                      .slice(0, 5)
                      .map((h) => h.qualifiedName)
                      .join(', ')}…`
                  : 'Looking in the index…'
              : 'No answer.'}
        </p>
        {streaming && turn.attempt > 1 && (
          <p class="notice">
            Some citations failed their check: the answer is being rewritten once to repair them.
          </p>
        )}
        {turn.text && (
          <AnswerText repoId={repoId} text={turn.text} checks={turn.citations} commit={commit} />
        )}
        <Alert message={turn.error} />
      </div>
    </li>
  );
}

/** The repository as the API names it: its id as a number. */
const repoRef = (repoId: string): string | number =>
  /^\d+$/.test(repoId) ? Number(repoId) : repoId;

/**
 * Questions about the repository's code, answered from its index with citations that open the
 * code view at the cited lines. A conversation is a session: its id is kept in the address, so a
 * reload or a link shows its history, and each follow-up question continues it.
 */
export function AskPage({ repoId, params }: { repoId: string; params: URLSearchParams }) {
  const { api, unauthorized } = useSession();
  const opened = params.get('session');
  const [sessionId, setSessionId] = useState<number | null>(opened ? Number(opened) : null);
  const stored = useResource(
    (a) =>
      opened
        ? a
            .get<{ messages: ChatMessage[] }>(`/api/codebase/chat/${encodeURIComponent(opened)}`)
            .then((r) => turnsOf(r.messages))
        : Promise.resolve([]),
    [opened],
  );
  const [turns, setTurns] = useState<Turn[]>([]);
  const [question, setQuestion] = useState('');
  const running = useRef<AbortController | null>(null);
  useEffect(() => () => running.current?.abort(), []);
  const busy = turns.some((t) => t.streaming);

  const submit = async (): Promise<void> => {
    const text = question.trim();
    if (!text || busy) return;
    setQuestion('');
    setTurns((prev) => [...prev, newTurn(text)]);
    const update = (event: Parameters<typeof applyChatEvent>[1]): void =>
      setTurns((prev) => [...prev.slice(0, -1), applyChatEvent(prev.at(-1)!, event)]);
    const controller = new AbortController();
    running.current = controller;
    try {
      await ask(
        api,
        { repo: repoRef(repoId), question: text, ...(sessionId ? { sessionId } : {}) },
        (event) => {
          if (event.type === 'session') {
            setSessionId(Number(event.sessionId));
            // Not a navigation: the page stays, the address now names the conversation.
            history.replaceState(null, '', routeHref(repoId, 'ask', { session: event.sessionId }));
          }
          update(event);
        },
        controller.signal,
      );
    } catch (cause) {
      if (controller.signal.aborted) return;
      if (cause instanceof ApiError && cause.status === 401) return unauthorized();
      update({ type: 'error', message: errorText(cause) });
    }
  };

  const restart = (): void => {
    running.current?.abort();
    setTurns([]);
    setSessionId(null);
    // A conversation opened from the address is left by navigating (the page is keyed by it).
    if (opened) window.location.hash = routeHref(repoId, 'ask');
    else history.replaceState(null, '', routeHref(repoId, 'ask'));
  };

  const all = [...(stored.data ?? []), ...turns];
  return (
    <article class="ask-page" aria-labelledby="ask-heading">
      <p>
        <a href={routeHref(repoId)}>← Repository</a>
      </p>
      <h2 id="ask-heading">Ask about the code</h2>
      <p class="muted">
        Answers come from the repository's index and cite the code they rest on, as{' '}
        <code>[path:start-end]</code>; each citation is checked against the indexed commit and opens
        the code view at its lines.
      </p>
      <Alert message={stored.error} />
      {opened && stored.loading && <p class="muted">Loading the conversation…</p>}
      {all.length > 0 && (
        <ol class="conversation" aria-label="Conversation">
          {all.map((turn, i) => (
            <TurnView key={i} repoId={repoId} turn={turn} />
          ))}
        </ol>
      )}
      <form
        class="ask-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label for="question">{sessionId !== null ? 'Ask a follow-up question' : 'Question'}</label>
        <textarea
          id="question"
          name="question"
          rows={3}
          maxLength={4000}
          required
          placeholder="Where is the cart total computed?"
          aria-describedby="question-hint"
          value={question}
          onInput={(event) => setQuestion(event.currentTarget.value)}
          onKeyDown={(event) => {
            // Enter asks; Shift+Enter is a new line.
            if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
              event.preventDefault();
              void submit();
            }
          }}
        />
        <p id="question-hint" class="muted hint">
          Enter to ask, Shift+Enter for a new line.
        </p>
        <div class="actions">
          <button type="submit" disabled={busy || !question.trim()}>
            {busy ? 'Answering…' : 'Ask'}
          </button>
          {sessionId !== null && (
            <button type="button" onClick={restart}>
              New conversation
            </button>
          )}
        </div>
      </form>
    </article>
  );
}
