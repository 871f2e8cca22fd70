/**
 * A few lines of DOM building instead of a framework: the dashboard re-renders one section at a time from data it
 * fetched, so it needs elements, attributes and event listeners, and nothing that diffs or schedules.
 */

/** What an element may hold: nodes, text, or nothing (skipped). */
export type Child = Node | string | number | false | null | undefined | ReadonlyArray<Child>

/** Attributes, plus `on<event>` listeners. `false`/`undefined` leave an attribute out; `true` sets it empty. */
export type Attributes = Readonly<Record<string, string | number | boolean | undefined | EventListener>>

const append = (parent: Node, child: Child): void => {
  if (child === false || child === null || child === undefined) return
  if (Array.isArray(child)) {
    for (const c of child as ReadonlyArray<Child>) append(parent, c)
    return
  }
  parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)))
}

/** Makes an HTML element. */
export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: ReadonlyArray<Child>
): HTMLElementTagNameMap[K] => {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    if (typeof value === "function") el.addEventListener(name.slice(2).toLowerCase(), value)
    else el.setAttribute(name, value === true ? "" : String(value))
  }
  append(el, children)
  return el
}

const SVG = "http://www.w3.org/2000/svg"

/** Makes an SVG element. */
export const s = (
  tag: string,
  attributes: Readonly<Record<string, string | number>> = {},
  ...children: ReadonlyArray<Child>
): SVGElement => {
  const el = document.createElementNS(SVG, tag)
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value))
  append(el, children)
  return el as SVGElement
}

/** Replaces what an element holds. */
export const mount = (el: Element, ...children: ReadonlyArray<Child>): void => {
  el.replaceChildren()
  append(el, children)
}

/** The element with this id, which the page's HTML guarantees. */
export const byId = <E extends HTMLElement = HTMLElement>(id: string): E => {
  const el = document.getElementById(id)
  if (el === null) throw new Error(`missing #${id} in index.html`)
  return el as E
}
