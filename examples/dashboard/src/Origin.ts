/**
 * Where the page may send its bearer token: its own origin, or an origin named when the page was built
 * (`NTM_API_ORIGINS="https://ntm.example.gov.vn,https://…" npm run build`), never one a link names. A `?api=`
 * pointing elsewhere is refused, so a crafted link cannot make the page hand the token to another server.
 */

/** The origins set at build time (see `vite.config.ts`), comma-separated; none when the page was built without. */
declare const __NTM_API_ORIGINS__: string | undefined

/** The origins the page may call besides its own. */
export const allowedOrigins: ReadonlyArray<string> = (
  typeof __NTM_API_ORIGINS__ === "string" ? __NTM_API_ORIGINS__ : ""
)
  .split(",")
  .map((s) => s.trim().replace(/\/+$/, ""))
  .filter((s) => s !== "")

/**
 * The API base to use for a requested address: `""` for the page's own origin (nothing requested, or an address on
 * it without a path), the address without its trailing slash when its origin is the page's or an allowed one, and
 * undefined when it is refused (another origin, not http(s), credentials in it, not a URL).
 */
export const apiBase = (
  requested: string | null | undefined,
  page: string,
  allowed: ReadonlyArray<string> = allowedOrigins
): string | undefined => {
  const text = requested?.trim() ?? ""
  if (text === "") return ""
  let url: URL
  try {
    url = new URL(text, page)
  } catch {
    return undefined
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined
  if (url.username !== "" || url.password !== "") return undefined
  const own = new URL(page).origin
  if (url.origin !== own && !allowed.includes(url.origin)) return undefined
  const path = url.pathname.replace(/\/+$/, "")
  return url.origin === own && path === "" ? "" : `${url.origin}${path}`
}
