/**
 * The exploring child process: loads one module of a repository, calls its exports with inputs
 * the parent drew from the code, measures which coverage keys each call reaches (V8 precise
 * coverage through the inspector) and appends the calls that reach new keys to a file, one JSON
 * a line. Run as `node child.js config.json`. It imports nothing but Node's own modules (types
 * aside), so that the parent can run it from `dist` as it is or from `src` transpiled alone.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire, register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type {
  ChildConfig,
  ChildEvent,
  CurrentCall,
  FunctionPlan,
  KeyProbe,
} from './child-protocol.js';
import type { CallSite, Expression, Outcome } from './types.js';

const now = Date.now.bind(Date);
const realExit = process.exit.bind(process);
const started = now();

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ChildConfig;
const currentFile = path.join(path.dirname(config.outFile), 'current.json');

function emit(event: ChildEvent): void {
  appendFileSync(config.outFile, `${JSON.stringify(event)}\n`);
}

// The module's own output would only fill our pipes.
// This is a child script of its own, not the library: silencing its console is its business.
for (const name of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'] as const)
  console[name] = () => undefined; // eslint-disable-line no-console
process.on('uncaughtException', () => undefined);
process.on('unhandledRejection', () => undefined);

/** `process.exit` inside a call: the call ends with this error and is reported, not kept. */
class ExitRequest extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
    this.name = 'ExitRequest';
  }
}
let exitRequested: number | undefined;
process.exit = ((code?: number | string | null) => {
  exitRequested = Number(code ?? 0) || 0;
  throw new ExitRequest(exitRequested);
}) as typeof process.exit;

// ---------------------------------------------------------------------------------------------
// A watchdog thread: a call that blocks the event loop (an endless loop) cannot be interrupted
// from inside, so the thread kills the whole process; the parent blames `current.json` and goes on.

const clock = new Float64Array(new SharedArrayBuffer(8));
const watchdog = new Worker(
  `const { workerData } = require('node:worker_threads');
   const clock = new Float64Array(workerData.sab);
   setInterval(() => {
     if (clock[0] > 0 && Date.now() - clock[0] > workerData.limit) process.kill(process.pid, 'SIGKILL');
   }, workerData.tick);`,
  {
    eval: true,
    workerData: {
      sab: clock.buffer,
      limit: config.callTimeoutMs,
      tick: Math.max(10, Math.min(200, Math.floor(config.callTimeoutMs / 5))),
    },
  },
);
watchdog.unref();

// ---------------------------------------------------------------------------------------------
// Coverage keys from V8's block counts.

interface Range {
  s: number;
  e: number;
  c: number;
}

const fileUrl = pathToFileURL(config.file).href;
const probes = [...config.keys].sort((a, b) => a.at - b.at);
const session = new Session();
session.connect();

/** Counts at each probed offset: the innermost V8 range holding it (V8's ranges nest). */
function countsAt(ranges: Range[], offsets: number[]): Map<number, number> {
  ranges.sort((a, b) => a.s - b.s || b.e - a.e);
  const out = new Map<number, number>();
  const stack: Range[] = [];
  let next = 0;
  for (const offset of [...new Set(offsets)].sort((a, b) => a - b)) {
    while (next < ranges.length && ranges[next]!.s <= offset) {
      const range = ranges[next++]!;
      while (stack.length > 0 && stack[stack.length - 1]!.e <= range.s) stack.pop();
      stack.push(range);
    }
    while (stack.length > 0 && stack[stack.length - 1]!.e <= offset) stack.pop();
    out.set(offset, stack[stack.length - 1]?.c ?? 0);
  }
  return out;
}

/** Keys reached since the last take (taking resets V8's counters). */
async function takeKeys(): Promise<string[]> {
  const { result } = await session.post('Profiler.takePreciseCoverage');
  const script = result.find((s) => s.url === fileUrl || s.url === config.file);
  if (!script) return [];
  const ranges: Range[] = [];
  for (const fn of script.functions)
    for (const r of fn.ranges) ranges.push({ s: r.startOffset, e: r.endOffset, c: r.count });
  const offsets = probes.flatMap((p) => (p.minus === undefined ? [p.at] : [p.at, p.minus]));
  const counts = countsAt(ranges, offsets);
  return probes.filter((p) => reached(p, counts)).map((p) => p.key);
}

function reached(probe: KeyProbe, counts: Map<number, number>): boolean {
  const at = counts.get(probe.at) ?? 0;
  return probe.minus === undefined ? at > 0 : at > (counts.get(probe.minus) ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Values and the expressions that write them.

const MAX_EXPRESSION = 2048;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') {
    const ctor = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)
      ?.constructor;
    if (ctor === Object || ctor === undefined) return 'object';
    return typeof ctor.name === 'string' && ctor.name !== '' ? ctor.name : 'object';
  }
  if (typeof value === 'function') {
    return /^class[\s{]/.test(Function.prototype.toString.call(value)) ? 'class' : 'function';
  }
  return typeof value;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The value as an expression deep equality can compare, or undefined when it cannot be written. */
function toExpression(
  value: unknown,
  seen = new Set<unknown>(),
  budget = { left: MAX_EXPRESSION },
): string | undefined {
  const out = write(value, seen, budget);
  return out !== undefined && budget.left >= 0 ? out : undefined;
}

function write(value: unknown, seen: Set<unknown>, budget: { left: number }): string | undefined {
  if (budget.left < 0) return undefined;
  let text: string | undefined;
  switch (typeof value) {
    case 'undefined':
      text = 'undefined';
      break;
    case 'boolean':
      text = String(value);
      break;
    case 'number':
      text = Object.is(value, -0) ? '-0' : String(value);
      break;
    case 'bigint':
      text = `${value}n`;
      break;
    case 'string':
      text = JSON.stringify(value);
      break;
    case 'object':
      text = writeObject(value, seen, budget);
      break;
    default:
      return undefined;
  }
  if (text !== undefined) budget.left -= text.length;
  return text;
}

function writeObject(
  value: object | null,
  seen: Set<unknown>,
  budget: { left: number },
): string | undefined {
  if (value === null) return 'null';
  if (seen.has(value)) return undefined;
  seen.add(value);
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    if (Array.isArray(value)) {
      if (Object.keys(value).length !== value.length) return undefined;
      const items: string[] = [];
      for (const item of value) {
        const text = write(item, seen, budget);
        if (text === undefined) return undefined;
        items.push(text);
      }
      return `[${items.join(', ')}]`;
    }
    if (value instanceof Date)
      return `new Date(${Number.isNaN(value.getTime()) ? 'NaN' : value.getTime()})`;
    if (value instanceof RegExp) return proto === RegExp.prototype ? String(value) : undefined;
    if (value instanceof Map && proto === Map.prototype) {
      const entries: string[] = [];
      for (const [k, v] of value) {
        const key = write(k, seen, budget);
        const val = write(v, seen, budget);
        if (key === undefined || val === undefined) return undefined;
        entries.push(`[${key}, ${val}]`);
      }
      return entries.length === 0 ? 'new Map()' : `new Map([${entries.join(', ')}])`;
    }
    if (value instanceof Set && proto === Set.prototype) {
      const items: string[] = [];
      for (const item of value) {
        const text = write(item, seen, budget);
        if (text === undefined) return undefined;
        items.push(text);
      }
      return items.length === 0 ? 'new Set()' : `new Set([${items.join(', ')}])`;
    }
    if (proto !== Object.prototype && proto !== null) return undefined;
    if (Object.getOwnPropertySymbols(value).length > 0) return undefined;
    const props: string[] = [];
    for (const key of Object.getOwnPropertyNames(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
      if (!('value' in descriptor) || !descriptor.enumerable) return undefined;
      const text = write(descriptor.value, seen, budget);
      if (text === undefined) return undefined;
      const name = IDENTIFIER.test(key) || /^(0|[1-9]\d*)$/.test(key) ? key : JSON.stringify(key);
      props.push(`${name}: ${text}`);
    }
    return props.length === 0 ? '{}' : `{ ${props.join(', ')} }`;
  } finally {
    seen.delete(value);
  }
}

function describeThrow(error: unknown, async: boolean): Outcome {
  if (
    error instanceof Error ||
    (typeof error === 'object' && error !== null && 'message' in error)
  ) {
    const e = error as { name?: unknown; message?: unknown; constructor?: { name?: string } };
    const name =
      e.constructor?.name && e.constructor.name !== 'Object'
        ? e.constructor.name
        : String(e.name ?? 'Error');
    return { kind: 'throw', name, message: String(e.message).slice(0, 1000), async };
  }
  return {
    kind: 'throw',
    name: typeOf(error),
    message: String(toExpression(error) ?? typeOf(error)).slice(0, 1000),
    async,
  };
}

function describeReturn(value: unknown, async: boolean): Outcome {
  return { kind: 'return', value: toExpression(value), typeOf: typeOf(value), async };
}

/** Evaluates an input expression in the global scope, afresh for each call (calls may mutate). */
function evaluate(expression: Expression): unknown {
  return (0, eval)(`(${expression})`);
}

// ---------------------------------------------------------------------------------------------
// What can be called.

interface Target {
  /** `name`, `name#member` (a method), `name.member` (static) or `new name`. */
  id: string;
  exportName: string;
  kind: CallSite['kind'];
  member?: string;
  fn: (...args: unknown[]) => unknown;
  plan: FunctionPlan | undefined;
  /** For methods: the class, its constructor's plan and its other methods. */
  owner?: {
    ctor: new (...args: unknown[]) => unknown;
    plan: FunctionPlan | undefined;
    methods: string[];
  };
  gains: number;
  stale: number;
  timeouts: number;
}

function isClass(fn: unknown): boolean {
  if (typeof fn !== 'function') return false;
  if (/^class[\s{]/.test(Function.prototype.toString.call(fn))) return true;
  const proto = (fn as { prototype?: object }).prototype;
  return proto !== undefined && Object.getOwnPropertyNames(proto).some((n) => n !== 'constructor');
}

function ownFunctions(value: object, skip: Set<string>): string[] {
  const out: string[] = [];
  for (const name of Object.getOwnPropertyNames(value)) {
    if (skip.has(name)) continue;
    const d = Object.getOwnPropertyDescriptor(value, name);
    if (d && 'value' in d && typeof d.value === 'function') out.push(name);
  }
  return out;
}

function prototypeMethods(ctor: { prototype?: object }): string[] {
  const names = new Set<string>();
  for (
    let p = ctor.prototype;
    p && p !== Object.prototype;
    p = Object.getPrototypeOf(p) as object
  ) {
    for (const name of ownFunctions(p, new Set(['constructor']))) names.add(name);
  }
  return [...names];
}

const STATIC_SKIP = new Set(['length', 'name', 'prototype', 'caller', 'arguments']);

function planFor(...names: (string | undefined)[]): FunctionPlan | undefined {
  for (const name of names)
    if (name && Object.hasOwn(config.plans, name)) return config.plans[name];
  return undefined;
}

function collectTargets(exported: Record<string, unknown>): {
  targets: Target[];
  skipped: { exportName: string; reason: string }[];
} {
  const targets: Target[] = [];
  const skipped: { exportName: string; reason: string }[] = [];
  const base = { gains: 0, stale: 0, timeouts: 0 };
  for (const [exportName, value] of Object.entries(exported)) {
    if (config.exports && !config.exports.includes(exportName)) continue;
    if (typeof value === 'function') {
      const fn = value as Target['fn'] & { name: string };
      const localName = fn.name || exportName;
      if (isClass(fn)) {
        const ctor = fn as unknown as new (...args: unknown[]) => unknown;
        const ctorPlan = planFor(
          `${localName}.constructor`,
          `${exportName}.constructor`,
          localName,
        );
        targets.push({
          id: `new ${exportName}`,
          exportName,
          kind: 'constructor',
          fn,
          plan: ctorPlan,
          ...base,
        });
        const methods = prototypeMethods(fn as unknown as { prototype?: object });
        for (const member of methods) {
          const method = (fn.prototype as Record<string, Target['fn']>)[member]!;
          targets.push({
            id: `${exportName}#${member}`,
            exportName,
            kind: 'method',
            member,
            fn: method,
            plan: planFor(`${localName}.${member}`, member),
            owner: { ctor, plan: ctorPlan, methods },
            ...base,
          });
        }
      } else {
        targets.push({
          id: exportName,
          exportName,
          kind: 'function',
          fn,
          plan: planFor(exportName === 'default' ? 'default' : exportName, localName, 'default'),
          ...base,
        });
      }
      for (const member of ownFunctions(fn, STATIC_SKIP)) {
        const method = (fn as unknown as Record<string, Target['fn']>)[member]!;
        targets.push({
          id: `${exportName}.${member}`,
          exportName,
          kind: 'static',
          member,
          fn: method,
          plan: planFor(`${localName}.${member}`, member, method.name),
          ...base,
        });
      }
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const members = new Set(ownFunctions(value, new Set()));
      if (
        Object.getPrototypeOf(value) !== Object.prototype &&
        Object.getPrototypeOf(value) !== null
      )
        for (const m of prototypeMethods({ prototype: Object.getPrototypeOf(value) as object }))
          members.add(m);
      if (members.size === 0) {
        skipped.push({ exportName, reason: `not a function (${typeOf(value)})` });
        continue;
      }
      for (const member of members) {
        const method = (value as Record<string, Target['fn']>)[member]!;
        targets.push({
          id: `${exportName}.${member}`,
          exportName,
          kind: 'static',
          member,
          fn: method,
          plan: planFor(`${exportName}.${member}`, member, method.name),
          ...base,
        });
      }
    } else {
      skipped.push({ exportName, reason: `not a function (${typeOf(value)})` });
    }
  }
  return { targets, skipped };
}

// ---------------------------------------------------------------------------------------------
// Choosing inputs: seeded, biased toward values that reached new code.

let seed = config.seed >>> 0 || 1;
function random(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function pick<T>(items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Values that took part in calls reaching new code, by target and position, and returned ones. */
const learned = new Map<string, Expression[]>();
const returned: Expression[] = [];
const keptArgs = new Map<string, Expression[][]>();

function learn(key: string, expression: Expression): void {
  const list = learned.get(key) ?? [];
  if (!list.includes(expression)) list.push(expression);
  learned.set(key, list);
}

function chooseArg(targetId: string, plan: FunctionPlan | undefined, i: number): Expression {
  const own = plan?.params[i] ?? [];
  const good = learned.get(`${targetId}:${i}`) ?? [];
  const r = random();
  if (good.length > 0 && r < 0.3) return pick(good);
  if (own.length > 0 && r < 0.75) {
    // The first candidates are the likeliest (types, compared literals): favour them.
    return random() < 0.5 ? own[Math.floor(random() * Math.min(own.length, 6))]! : pick(own);
  }
  if (returned.length > 0 && r < 0.82) return pick(returned);
  return pick(config.common);
}

function chooseArgs(
  targetId: string,
  fn: Target['fn'],
  plan: FunctionPlan | undefined,
): Expression[] {
  const kept = keptArgs.get(targetId);
  const r = random();
  if (plan && plan.examples.length > 0 && r < 0.15) {
    const example = [...pick(plan.examples)];
    if (random() < 0.5 && example.length > 0)
      example[Math.floor(random() * example.length)] = chooseArg(targetId, plan, 0);
    return example;
  }
  if (kept && kept.length > 0 && r < 0.4) {
    // Mutate a call that reached new code: change one argument.
    const args = [...pick(kept)];
    const arity = Math.max(args.length, 1);
    const i = Math.floor(random() * arity);
    args[i] = chooseArg(targetId, plan, i);
    for (let j = 0; j < args.length; j++) if (args[j] === undefined) args[j] = 'undefined';
    return args;
  }
  let arity = Math.max(plan?.arity ?? 0, fn.length);
  if (arity === 0 && random() < 0.3) arity = random() < 0.7 ? 1 : 2;
  if (arity > 0 && random() < 0.15) arity -= 1;
  const args: Expression[] = [];
  for (let i = 0; i < arity; i++) args.push(chooseArg(targetId, plan, i));
  return args;
}

function makeCall(target: Target): CallSite {
  const args = chooseArgs(target.id, target.fn, target.plan);
  const site: CallSite = { exportName: target.exportName, kind: target.kind, args };
  if (target.member !== undefined) site.member = target.member;
  if (target.kind === 'method' && target.owner) {
    const ctorId = `new ${target.exportName}`;
    site.constructorArgs = chooseArgs(
      ctorId,
      target.owner.ctor as unknown as Target['fn'],
      target.owner.plan,
    );
    const before: { member: string; args: Expression[] }[] = [];
    const others = target.owner.methods;
    const length = random() < 0.5 ? 0 : random() < 0.7 ? 1 : 2;
    for (let i = 0; i < length; i++) {
      const member = pick(others);
      const fn = (target.owner.ctor.prototype as Record<string, Target['fn']>)[member]!;
      before.push({
        member,
        args: chooseArgs(`${target.exportName}#${member}`, fn, planFor(member)),
      });
    }
    if (before.length > 0) site.before = before;
  }
  return site;
}

// ---------------------------------------------------------------------------------------------
// Running a call.

let exported: Record<string, unknown> = {};

async function settle(value: unknown): Promise<{ outcome: Outcome } | { timedOut: true }> {
  if (!isThenable(value)) return { outcome: describeReturn(value, false) };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), config.callTimeoutMs);
  });
  try {
    const result = await Promise.race([
      Promise.resolve(value).then(
        (v) => ({ outcome: describeReturn(v, true) }),
        (e: unknown) => ({ outcome: describeThrow(e, true) }),
      ),
      timeout,
    ]);
    return result === 'timeout' ? { timedOut: true } : result;
  } finally {
    clearTimeout(timer);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

async function run(site: CallSite): Promise<{ outcome: Outcome } | { timedOut: true }> {
  const owner = exported[site.exportName] as Record<string, (...a: unknown[]) => unknown> &
    (new (...a: unknown[]) => Record<string, (...a: unknown[]) => unknown>);
  exitRequested = undefined;
  clock[0] = now();
  try {
    let value: unknown;
    try {
      const args = site.args.map(evaluate);
      switch (site.kind) {
        case 'function':
          value = (owner as unknown as (...a: unknown[]) => unknown)(...args);
          break;
        case 'constructor':
          value = new owner(...args);
          break;
        case 'static':
          value = owner[site.member!]!(...args);
          break;
        case 'method': {
          const instance = new owner(...(site.constructorArgs ?? []).map(evaluate));
          for (const step of site.before ?? []) {
            try {
              instance[step.member]!(...step.args.map(evaluate));
            } catch (error) {
              if (error instanceof ExitRequest) throw error;
            }
          }
          value = instance[site.member!]!(...args);
          break;
        }
      }
    } catch (error) {
      return { outcome: describeThrow(error, false) };
    }
    return await settle(value);
  } finally {
    clock[0] = 0;
    process.exitCode = undefined;
  }
}

// ---------------------------------------------------------------------------------------------

/** Whether the required module was compiled from ES modules (`exports.__esModule`). */
let esModule = false;

async function loadModule(): Promise<Record<string, unknown>> {
  if (config.loaderUrl) register(config.loaderUrl, { data: config.loaderData });
  if (config.load === 'require') {
    const required = createRequire(config.file)(config.file) as unknown;
    if (typeof required === 'object' && required !== null) {
      const record = required as Record<string, unknown>;
      if (record.__esModule === true) {
        esModule = true;
        const { __esModule: _, ...named } = record;
        return named;
      }
      return { ...record };
    }
    return { default: required };
  }
  const namespace = (await import(fileUrl)) as Record<string, unknown>;
  return { ...namespace };
}

async function main(): Promise<void> {
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  process.chdir(config.cwd);
  try {
    exported = await loadModule();
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    emit({ type: 'load-error', message: message.split('\n')[0]!.slice(0, 500) });
    emit({ type: 'done', tried: config.triedBefore });
    return;
  }
  const loadKeys = await takeKeys();
  if (config.mode === 'replay') return replay();
  const { targets, skipped } = collectTargets(exported);
  emit({ type: 'loaded', loadKeys, skipped, ...(esModule ? { esModule } : {}) });
  const covered = new Set([...config.covered, ...loadKeys]);
  const wanted = new Set((config.targetKeys ?? []).filter((k) => !covered.has(k)));
  const live = targets.filter((t) => config.banned.filter((b) => b === t.id).length < 3);
  const poison = new Set(config.poison);
  let tried = config.triedBefore;
  let stale = 0;
  const deadline = started + config.budgetMs;
  let turn = 0;
  while (live.length > 0 && tried < config.maxCalls && now() < deadline) {
    if (config.targetKeys && config.targetKeys.length > 0 && wanted.size === 0) break;
    if (stale > Math.max(600, 80 * live.length)) break;
    const target = live[turn++ % live.length]!;
    // Targets that stopped finding new code get fewer turns.
    if (target.stale > 40 && random() < Math.min(0.85, target.stale / 200)) continue;
    const site = makeCall(target);
    if (poison.has(JSON.stringify(site))) continue;
    tried++;
    const current: CurrentCall = { target: target.id, call: site, tried };
    writeFileSync(currentFile, JSON.stringify(current));
    const result = await run(site);
    const keys = await takeKeys();
    if (exitRequested !== undefined) {
      emit({ type: 'exit', call: site, code: exitRequested });
      target.stale++;
      stale++;
      continue;
    }
    if ('timedOut' in result) {
      target.timeouts++;
      if (target.timeouts >= 2) live.splice(live.indexOf(target), 1);
      continue;
    }
    const fresh = keys.filter((k) => !covered.has(k));
    if (fresh.length === 0) {
      target.stale++;
      stale++;
      continue;
    }
    for (const k of fresh) {
      covered.add(k);
      wanted.delete(k);
    }
    target.gains++;
    target.stale = 0;
    stale = 0;
    site.args.forEach((a, i) => learn(`${target.id}:${i}`, a));
    keptArgs.set(target.id, [...(keptArgs.get(target.id) ?? []), site.args]);
    if (target.owner && site.constructorArgs) {
      const ctorId = `new ${target.exportName}`;
      site.constructorArgs.forEach((a, i) => learn(`${ctorId}:${i}`, a));
    }
    const outcome = result.outcome;
    // Returned values feed later calls, unless they look like a moment (Date.now()).
    if (
      outcome.kind === 'return' &&
      outcome.value !== undefined &&
      outcome.value.length <= 200 &&
      !/\d{10,}/.test(outcome.value)
    ) {
      if (!returned.includes(outcome.value)) returned.push(outcome.value);
    }
    emit({ type: 'call', call: site, outcome, keys });
    if (tried % 100 === 0) emit({ type: 'progress', tried });
  }
  emit({ type: 'done', tried });
}

async function replay(): Promise<void> {
  const calls = config.replay ?? [];
  for (const [index, site] of calls.entries()) {
    writeFileSync(
      currentFile,
      JSON.stringify({ target: site.exportName, call: site, tried: index }),
    );
    const result = await run(site);
    await takeKeys();
    if ('timedOut' in result) continue;
    emit({ type: 'replayed', index, outcome: result.outcome });
  }
  emit({ type: 'done', tried: calls.length });
}

main().then(
  () => realExit(0),
  (error: unknown) => {
    try {
      emit({ type: 'load-error', message: `explorer failed: ${String(error)}`.slice(0, 500) });
    } finally {
      realExit(3);
    }
  },
);
