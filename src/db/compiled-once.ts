import { type Compilable, CompiledQuery, type InferResult } from 'kysely';
import { dialectOf, type Executor } from './database.js';

/**
 * Runs a query whose SQL text depends only on `shape` (for instance how many ids an `in (…)` list has), building and
 * compiling it with Kysely the first time only. For the few queries on the hottest paths (the reconciler's loads run
 * on every change a user makes), where building the query costs more than running it. `parameters` must be the
 * query's parameters in order: the first build checks that they are.
 */
export async function runCompiledOnce<Q extends Compilable<object>>(
  db: Executor,
  shape: string,
  build: () => Q,
  parameters: readonly unknown[],
): Promise<InferResult<Q>> {
  // The same shape is other SQL on the other dialect (placeholders), and one process may open both (copy-database).
  const key = `${dialectOf(db)} ${shape}`;
  let text = compiledText.get(key);
  if (text === undefined) {
    const compiled = build().compile();
    if (JSON.stringify(compiled.parameters) !== JSON.stringify(parameters))
      throw new Error(`runCompiledOnce: the parameters of ${shape} are not the ones given`);
    text = compiled.sql;
    if (compiledText.size < 1_000) compiledText.set(key, text);
  }
  const result = await db.executeQuery(CompiledQuery.raw(text, [...parameters]));
  return result.rows as InferResult<Q>;
}

const compiledText = new Map<string, string>();
