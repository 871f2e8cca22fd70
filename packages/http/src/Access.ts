/**
 * Who may do what: the core's access matrix and scope rule (`@ntm/core/Access`), re-exported beside the contract. The
 * commands check them on the state they decide on, so the server keeps no scope decision of its own: it maps the
 * token's principal to the actor a command records, and a refusal (`RoleNotPermitted`, `OutOfScope`,
 * `UnitRequired`) to a 403.
 *
 * This module imports no Node code.
 *
 * @since 0.1.0
 */
export * from "@ntm/core/Access"
