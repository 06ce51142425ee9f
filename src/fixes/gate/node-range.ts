/**
 * Node version ranges as package.json `engines.node` and version-manager files write them: the
 * subset of npm's semver grammar that names release versions (`>=`, `<`, `=`, `^`, `~`, x-ranges,
 * hyphen ranges, space for "and", `||` for "or"), plus nvm's aliases (`lts/iron`, `node`).
 *
 * Our own matcher rather than the `semver` package: that package reaches our install only through
 * better-sqlite3 -> prebuild-install -> node-abi, undeclared and untyped, so a strict installer
 * (pnpm) or a change in that chain would break `beast`; and Node's versions need only release
 * numbers. The unit tests check it against `semver` itself.
 */

/** A release version: major, minor, patch. */
export type Version = readonly [number, number, number];

/** One comparator set: every bound must hold. `upper` is exclusive unless `upperInclusive`. */
interface Bounds {
  lower?: Version;
  lowerInclusive?: boolean;
  upper?: Version;
  upperInclusive?: boolean;
}

/** A parsed range: satisfied when any of its comparator sets is. */
export interface NodeRange {
  /** The text as written. */
  readonly text: string;
  readonly sets: readonly Bounds[];
}

/** nvm's LTS code names, oldest first: `lts/<name>` means that major line. */
const LTS_NAMES: Readonly<Record<string, number>> = {
  argon: 4,
  boron: 6,
  carbon: 8,
  dubnium: 10,
  erbium: 12,
  fermium: 14,
  gallium: 16,
  hydrogen: 18,
  iron: 20,
  jod: 22,
  krypton: 24,
};

/** nvm aliases that accept whichever Node is there (`lts/*` is "the newest LTS", unknowable offline). */
const ANY_ALIASES = new Set(['node', 'stable', 'latest', 'current', 'system', 'lts/*', 'lts']);

/** `v22.1.0` / `22.1.0` as a release version; undefined for anything else (prereleases included). */
export function parseVersion(text: string): Version | undefined {
  const match = /^\s*v?(\d+)\.(\d+)\.(\d+)\s*$/.exec(text);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Negative, zero or positive as `a` is below, equal to or above `b`. */
export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** A partial version: missing or wildcard parts are undefined (`22`, `22.x`, `*`). */
type Partial = readonly [number?, number?, number?];

const PARTIAL =
  /^v?(?:(\d+|[xX*])(?:\.(\d+|[xX*])(?:\.(\d+|[xX*])(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)?)?)?$/;

function parsePartial(text: string): Partial | undefined {
  const match = PARTIAL.exec(text);
  if (!match) return undefined;
  const [major, minor, patch] = [match[1], match[2], match[3]].map((part) =>
    part !== undefined && /^\d+$/.test(part) ? Number(part) : undefined,
  );
  // A wildcard makes every later part a wildcard too (`1.x.3` is `1.x`).
  if (major === undefined) return [];
  if (minor === undefined) return [major];
  return patch === undefined ? [major, minor] : [major, minor, patch];
}

/** The lowest version a partial stands for (`22` -> 22.0.0). */
function floor(p: Partial): Version {
  return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
}

/** The first version above everything a partial stands for (`22` -> 23.0.0, `22.1` -> 22.2.0). */
function ceiling(p: Partial): Version | undefined {
  if (p[0] === undefined) return undefined;
  if (p[1] === undefined) return [p[0] + 1, 0, 0];
  if (p[2] === undefined) return [p[0], p[1] + 1, 0];
  return [p[0], p[1], p[2] + 1];
}

function comparator(op: string, p: Partial): Bounds | undefined {
  const low = floor(p);
  const up = ceiling(p);
  const exact = p[2] !== undefined;
  switch (op) {
    case '':
    case '=':
      return up === undefined ? {} : { lower: low, lowerInclusive: true, upper: up };
    case '>=':
      return { lower: low, lowerInclusive: true };
    case '>':
      if (up === undefined) return undefined;
      return exact ? { lower: low, lowerInclusive: false } : { lower: up, lowerInclusive: true };
    case '<':
      return up === undefined ? undefined : { upper: low };
    case '<=':
      return up === undefined ? {} : { upper: up };
    case '~':
      return up === undefined
        ? {}
        : { lower: low, lowerInclusive: true, upper: ceiling([p[0], p[1]]) };
    case '^':
      return caret(p, low);
    default:
      return undefined;
  }
}

/** `^`: changes that do not modify the left-most non-zero part. */
function caret(p: Partial, low: Version): Bounds {
  const [major, minor, patch] = p;
  if (major === undefined) return {};
  let upper: Version;
  if (major > 0 || minor === undefined) upper = [major + 1, 0, 0];
  else if (minor > 0 || patch === undefined) upper = [0, minor + 1, 0];
  else upper = [0, 0, patch + 1];
  return { lower: low, lowerInclusive: true, upper };
}

/** An impossible comparator (`<0.0.0`, `>*`). */
const NOTHING: Bounds = { upper: [0, 0, 0] };

function intersect(a: Bounds, b: Bounds): Bounds {
  const out: Bounds = { ...a };
  if (b.lower !== undefined) {
    const order = out.lower === undefined ? -1 : compareVersions(out.lower, b.lower);
    if (order < 0 || (order === 0 && b.lowerInclusive === false)) {
      out.lower = b.lower;
      out.lowerInclusive = b.lowerInclusive;
    }
  }
  if (b.upper !== undefined) {
    const order = out.upper === undefined ? 1 : compareVersions(out.upper, b.upper);
    if (order > 0 || (order === 0 && b.upperInclusive !== true)) {
      out.upper = b.upper;
      out.upperInclusive = b.upperInclusive;
    }
  }
  return out;
}

/** `A - B`: from A's floor to B (inclusive when B is a full version, below its ceiling if not). */
function parseHyphen(fromText: string, toText: string): Bounds | undefined {
  const from = parsePartial(fromText);
  const to = parsePartial(toText);
  if (!from || !to) return undefined;
  const lower: Bounds = { lower: floor(from), lowerInclusive: true };
  if (to[0] === undefined) return lower;
  if (to[2] !== undefined) return intersect(lower, { upper: floor(to), upperInclusive: true });
  return intersect(lower, { upper: ceiling(to) });
}

function parseSet(text: string): Bounds | undefined {
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text.trim());
  if (hyphen) return parseHyphen(hyphen[1] ?? '', hyphen[2] ?? '');
  // Operators may stand apart from their version (`>= 22`).
  const tokens = text
    .trim()
    .replace(/(<=|>=|[<>=^~])\s+/g, '$1')
    .split(/\s+/)
    .filter(Boolean);
  let bounds: Bounds = {};
  for (const token of tokens) {
    const [, written = '', version = ''] = /^(<=|>=|<|>|=|\^|~>?|)(.*)$/.exec(token) ?? [];
    const partial = parsePartial(version);
    const op = written === '~>' ? '~' : written;
    const next =
      partial && (comparator(op, partial) ?? (['<', '>'].includes(op) ? NOTHING : undefined));
    if (next === undefined) return undefined;
    bounds = intersect(bounds, next);
  }
  return bounds;
}

/**
 * Parses a Node version range or nvm alias; undefined when it is neither (the caller says the
 * requirement could not be read rather than guessing).
 */
export function parseNodeRange(text: string): NodeRange | undefined {
  const trimmed = text.trim();
  const alias = trimmed.toLowerCase();
  if (ANY_ALIASES.has(alias)) return { text: trimmed, sets: [{}] };
  const lts = /^lts\/([a-z]+)$/.exec(alias);
  if (lts) {
    const major = LTS_NAMES[lts[1] ?? ''];
    return major === undefined
      ? undefined
      : {
          text: trimmed,
          sets: [{ lower: [major, 0, 0], lowerInclusive: true, upper: [major + 1, 0, 0] }],
        };
  }
  const sets: Bounds[] = [];
  for (const part of trimmed.split('||')) {
    const set = parseSet(part);
    if (set === undefined) return undefined;
    sets.push(set);
  }
  return { text: trimmed, sets };
}

function within(version: Version, bounds: Bounds): boolean {
  if (bounds.lower !== undefined) {
    const order = compareVersions(version, bounds.lower);
    if (order < 0 || (order === 0 && bounds.lowerInclusive === false)) return false;
  }
  if (bounds.upper !== undefined) {
    const order = compareVersions(version, bounds.upper);
    if (order > 0 || (order === 0 && bounds.upperInclusive !== true)) return false;
  }
  return true;
}

/** Whether `version` is in `range`. */
export function satisfiesRange(version: Version, range: NodeRange): boolean {
  return range.sets.some((set) => within(version, set));
}
