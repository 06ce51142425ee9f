/** The repository's own formatter, applied to changed code so changes match its style. */
export interface Formatter {
  /** The formatter and its version, as the report shows it: `Prettier 3.6.2`, `Biome 2.6.9`. */
  readonly name: string;
  /**
   * `proposed` formatted as the repository formats `file`, or `proposed` unchanged when the file
   * is ignored by the formatter or `original` was not formatted to begin with (we never reformat
   * code the user did not format).
   */
  format(file: string, original: string, proposed: string): Promise<string>;
}

/** A formatter ready to use, or the reason there is none. */
export type LoadedFormatter = { formatter: Formatter } | { reason: string };

/** A formatting request takes longer than this only when something is wrong: it then fails. */
export const FORMAT_TIMEOUT_MS = 60_000;
