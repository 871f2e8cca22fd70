/**
 * The page's entry: where the API is (`?api=`, or this page's own origin), the token (typed into the sign-in form,
 * kept in this browser session only: never taken from the address, where it would stay in the history and in every
 * server log), the language (`?lang=`, Vietnamese by default), then the dashboard.
 */
import { App, fromUrl } from "./App.js"
import * as Client from "./Client.js"
import { byId, h, mount } from "./Dom.js"
import { type Lang, setLang, t } from "./I18n.js"
import * as Origin from "./Origin.js"

const TOKEN = "ntm.token"
const API = "ntm.api"

const url = new URL(window.location.href)

// A token in the address is not used: it is dropped from the address bar (and the history), and the form asks for it.
const tokenInUrl = url.searchParams.has("token")
url.searchParams.delete("token")

// An API address in the URL moves to session storage, and out of the address bar and the history. It is kept only
// on this page's origin or one allowed when the page was built (`Origin`): a link cannot send the token elsewhere.
let refusedApi: string | undefined
for (const [param, key] of [["api", API]] as const) {
  const v = url.searchParams.get(param)
  if (v !== null) {
    const value = key === API ? Origin.apiBase(v, window.location.href) : v.trim()
    if (value === undefined) refusedApi = v
    else sessionStorage.setItem(key, value)
    url.searchParams.delete(param)
  }
}
window.history.replaceState(null, "", url.toString())
setLang((url.searchParams.get("lang") === "en" ? "en" : "vi") satisfies Lang)

const signOut = () => {
  sessionStorage.removeItem(TOKEN)
  window.location.reload()
}

/** The form asking for a token (and, optionally, another API address). */
const askToken = (message?: string): void => {
  mount(byId("skip"), t("skip"))
  mount(
    byId("header"),
    h("div", { class: "brand" }, h("h1", {}, t("title")), h("p", { class: "muted" }, t("subtitle")))
  )
  const form = h(
    "form",
    {
      class: "connect",
      "aria-labelledby": "connect-title",
      onsubmit: (ev: Event) => {
        ev.preventDefault()
        const data = new FormData(ev.target as HTMLFormElement)
        const api = Origin.apiBase(String(data.get("api") ?? ""), window.location.href)
        if (api === undefined) return askToken(`${t("apiRefused")}: ${String(data.get("api"))}`)
        sessionStorage.setItem(TOKEN, String(data.get("token") ?? "").trim())
        sessionStorage.setItem(API, api)
        window.location.reload()
      }
    },
    h("h2", { id: "connect-title" }, t("connection")),
    h("p", {}, t("needToken")),
    message === undefined ? null : h("p", { class: "error", role: "alert" }, message),
    h(
      "p",
      { class: "field" },
      h("label", { for: "token" }, t("token")),
      h("input", {
        id: "token",
        name: "token",
        type: "password",
        autocomplete: "off",
        required: true,
        "aria-describedby": "token-help"
      }),
      h("span", { id: "token-help", class: "muted small" }, t("tokenHelp"))
    ),
    h(
      "p",
      { class: "field" },
      h("label", { for: "api" }, t("apiBase")),
      h("input", {
        id: "api",
        name: "api",
        type: "url",
        value: sessionStorage.getItem(API) ?? "",
        placeholder: window.location.origin,
        "aria-describedby": "api-help"
      }),
      h("span", { id: "api-help", class: "muted small" }, t("apiBaseHelp"))
    ),
    h("p", {}, h("button", { type: "submit" }, t("connect")))
  )
  mount(byId("layout"), h("main", { id: "main", class: "connect-main", tabindex: "-1" }, form))
  byId("token").focus()
}

const token = sessionStorage.getItem(TOKEN)
// Checked again where it is used: a stored address that is not allowed falls back to this page's origin.
const baseUrl = Origin.apiBase(sessionStorage.getItem(API), window.location.href) ?? ""
if (refusedApi !== undefined) askToken(`${t("apiRefused")}: ${refusedApi}`)
else if (token === null || token === "") askToken(tokenInUrl ? t("tokenNotInUrl") : undefined)
else {
  const connection: Client.Connection = { baseUrl, token }
  App.placeholders()
  Client.connect(connection)
    .then((reads) => reads.units(fromUrl(url).asOf).then(() => reads))
    .then((reads) => new App(reads, connection, fromUrl(url), signOut).start(new AbortController().signal))
    .catch((e: unknown) => {
      sessionStorage.removeItem(TOKEN)
      askToken(`${t("error")}: ${Client.describeError(e)}`)
    })
}
