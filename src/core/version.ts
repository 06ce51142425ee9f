import { createRequire } from 'node:module';

// src/core and dist/core are both two levels below the package root.
const pkg = createRequire(import.meta.url)('../../package.json') as {
  name: string;
  version: string;
};

export const TOOL_NAME = pkg.name;
export const TOOL_VERSION = pkg.version;
