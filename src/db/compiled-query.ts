import { type Compilable, CompiledQuery, type InferResult } from 'kysely';
import { dialectOf, type Executor } from './database.js';
import { keepPrepared } from './prepared-statements.js';

// A speed mechanism: its ledger entry is "Compiled queries" in docs/performance.md.

/** A value a compiled query places: one per placeholder, or a list of them for an `in (…)`. */
export type QueryValue = string | number | null;

/** A compiled query's parameters, by name. A list's length is part of the query's shape (`in (?, ?, …)`). */
export type QueryParameters<P> = { readonly [K in keyof P]: QueryValue | readonly QueryValue[] };

/**
 * A query that Kysely builds and compiles once per shape (the dialect, and the length of each list), then runs with
 * each call's parameters: for the few queries on the hottest paths (the reconciler's loads run on every change a user
 * makes, the user's zone on every command), where building the query costs more than running it.
 *
 * `build` places each parameter as any Kysely query would, and may depend on the dialect, but never on a parameter's
 * value (no branch on it, no arithmetic, no column chosen by it: make such a choice two queries). The first build of
 * a shape is given stand-ins, to learn where each parameter goes, and is checked against a build with the real values:
 * a query that differs throws.
 */
export function compiledQuery<P extends QueryParameters<P>, Q extends Compilable<object>>(
  name: string,
  build: (db: Executor, parameters: P) => Q,
): (db: Executor, parameters: P) => Promise<InferResult<Q>> {
  const plans = new Map<string, Plan<P>>();
  return async (db, parameters) => {
    // The same shape is other SQL on the other dialect (placeholders), and one process may open both (copy-database).
    const shape = shapeOf(db, parameters);
    let plan = plans.get(shape);
    if (plan === undefined) {
      plan = planOf(name, db, parameters, build);
      if (plans.size < 1_000) plans.set(shape, plan);
    }
    const result = await db.executeQuery(CompiledQuery.raw(plan.sql, valuesOf(plan.slots, parameters)));
    return result.rows as InferResult<Q>;
  };
}

/** Where a placeholder's value comes from: a parameter (an element of a list when `index` ≥ 0), or the query itself. */
type Slot<P> = { parameter: keyof P; index: number } | { constant: unknown };

interface Plan<P> {
  sql: string;
  slots: Slot<P>[];
}

/** What `build` is given the first time instead of a value: an object Kysely places like a value, known by identity. */
class StandIn {}

function shapeOf<P extends QueryParameters<P>>(db: Executor, parameters: P): string {
  let shape: string = dialectOf(db);
  for (const name in parameters) {
    const value = parameters[name];
    if (typeof value === 'object' && value !== null) shape += ` ${name}=${value.length}`;
  }
  return shape;
}

function planOf<P extends QueryParameters<P>>(
  name: string,
  db: Executor,
  parameters: P,
  build: (db: Executor, parameters: P) => Compilable<object>,
): Plan<P> {
  const standIns: Record<string, unknown> = {};
  const places = new Map<unknown, Slot<P>>();
  const standIn = (parameter: keyof P, index: number): StandIn => {
    const placeholder = new StandIn();
    places.set(placeholder, { parameter, index });
    return placeholder;
  };
  for (const parameter in parameters) {
    const value = parameters[parameter];
    standIns[parameter] =
      typeof value === 'object' && value !== null
        ? value.map((_, index) => standIn(parameter, index))
        : standIn(parameter, -1);
  }
  const placed = build(db, standIns as P).compile();
  if (dialectOf(db) === 'postgres') keepPrepared(placed.sql);
  const slots = placed.parameters.map((value): Slot<P> => places.get(value) ?? { constant: value });
  const real = build(db, parameters).compile();
  const values = valuesOf(slots, parameters);
  if (
    real.sql !== placed.sql ||
    real.parameters.length !== values.length ||
    real.parameters.some((value, i) => !Object.is(value, values[i]))
  ) {
    throw new Error(`compiledQuery: ${name} depends on its parameters' values, not only on where they go`);
  }
  return { sql: placed.sql, slots };
}

function valuesOf<P extends QueryParameters<P>>(slots: readonly Slot<P>[], parameters: P): unknown[] {
  const values = new Array<unknown>(slots.length);
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as Slot<P>;
    if ('constant' in slot) values[i] = slot.constant;
    else {
      const value = parameters[slot.parameter];
      if (slot.index < 0) values[i] = value;
      else if (typeof value === 'object' && value !== null) values[i] = value[slot.index];
    }
  }
  return values;
}
