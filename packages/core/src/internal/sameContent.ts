/**
 * Whether two events (or an event and the one a repeated command would record) say the same thing, whoever recorded
 * them: the test deciders use to make a repeated command record nothing.
 */
export const sameIgnoringActor = (a: object, b: object): boolean => {
  const { by: _a, ...x } = a as { by?: unknown }
  const { by: _b, ...y } = b as { by?: unknown }
  return JSON.stringify(x) === JSON.stringify(y)
}
