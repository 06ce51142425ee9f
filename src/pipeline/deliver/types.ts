/** What the user asked to do with a delivered branch (`--apply`, `--push`, `--pr`, `--pr-base`). */
export interface DeliveryRequest {
  /** Bring the branch's changes into the working tree. */
  apply?: boolean;
  /** Push the branch to this remote (a name, or a URL git accepts). */
  push?: string;
  /** Open a pull request for the pushed branch through the GitHub REST API. */
  pr?: boolean;
  /** The pull request's base branch; default the branch the user is on, else the remote's default. */
  prBase?: string;
}

/** What the delivery steps did; secrets never appear here. */
export interface DeliveryResult {
  /** Files (relative to the repository's top) written into the working tree by `--apply`. */
  applied?: string[];
  /** The remote and branch `--push` pushed. */
  pushed?: { remote: string; branch: string };
  /** The pull request `--pr` opened, or the one already open for the branch. */
  pullRequest?: { url: string; number: number; base: string; existing: boolean };
  /** Why nothing was done: the run delivered no branch. */
  skipped?: string;
}
