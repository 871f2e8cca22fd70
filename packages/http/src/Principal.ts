/**
 * Who calls the API: the principal a bearer token names, with a role and a unit scope. Every write records the
 * principal as the event's actor.
 *
 * This module imports no Node code.
 *
 * @since 0.1.0
 */
import { Actor, Unit } from "@ntm/core"
import * as Schema from "effect/Schema"

/**
 * A principal: an id, a display name, a role, and the unit whose subtree they act for (none: the whole country).
 *
 * @since 0.1.0
 */
export class Principal extends Schema.Class<Principal>("@ntm/http/Principal")({
  id: Schema.NonEmptyTrimmedString,
  name: Schema.NonEmptyString,
  role: Actor.Role,
  unit: Schema.optional(Unit.UnitId),
  agency: Schema.optional(Schema.String)
}) {}

/**
 * The actor recorded in the events a principal's writes append.
 *
 * @since 0.1.0
 */
export const toActor = (p: Principal): Actor.Actor =>
  new Actor.Actor({
    id: p.id,
    name: p.name,
    role: p.role,
    ...(p.unit === undefined ? {} : { unit: p.unit }),
    ...(p.agency === undefined ? {} : { agency: p.agency })
  })
