import { SqliteQueryCompiler, type KyselyPlugin } from 'kysely';
import type { Store } from '../../src/store/index.js';

/**
 * The same store, recording the SQL of every statement run through it in `queries`: for tests
 * that say which queries a code path runs, or how many.
 */
export function recordQueries(store: Store): { store: Store; queries: string[] } {
  const queries: string[] = [];
  const compiler = new SqliteQueryCompiler();
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      queries.push(compiler.compileQuery(node, queryId).sql);
      return node;
    },
    transformResult: ({ result }) => Promise.resolve(result),
  };
  return { store: { ...store, db: store.db.withPlugin(plugin) }, queries };
}
