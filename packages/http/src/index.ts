/**
 * `@ntm/http`: the HTTP API of `@ntm/core`. The contract (`Api`, `Problem`, `Views`, `Principal`, `Access`) imports
 * no Node code; the server modules (`Handlers`, `Server`, `Tokens`, `ReadModel`) run on Node.
 *
 * @since 0.1.0
 */

/** Who may do what. */
export * as Access from "./Access.js"
/** The HTTP contract. */
export * as Api from "./Api.js"
/** Who calls the API. */
export * as Principal from "./Principal.js"
/** Problem-details errors. */
export * as Problem from "./Problem.js"
/** The read models as schemas. */
export * as Views from "./Views.js"
