/** One file's line churn in one commit, as `git log --numstat` reports it. */
export interface FileChange {
  /** The path after the commit (the new name of a renamed file). */
  path: string;
  /** The path before a rename; undefined when the file kept its name. */
  previousPath?: string;
  added: number;
  deleted: number;
  /** Git printed "-" for a binary file: no line counts. */
  binary: boolean;
}

/** One non-merge commit with the files it touched. */
export interface HistoryCommit {
  sha: string;
  /** Author time, unix seconds. */
  time: number;
  /** A stable, anonymous author id (hash of the e-mail). */
  author: string;
  subject: string;
  files: FileChange[];
}

/** A repository's history, oldest commit first. */
export interface History {
  /** A name for reports: the dataset file or the repository folder. */
  name: string;
  commits: HistoryCommit[];
}
