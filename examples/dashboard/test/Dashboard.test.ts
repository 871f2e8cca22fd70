/**
 * The dashboard end to end: the page built by Vite, the real server with the Tân Yên demo, headless Chromium.
 * The page reads with the auditor's (read-only) token; the test writes evidence with a district officer's.
 *
 * `NTM_SCREENSHOTS=1` also writes the screenshots of the main views into docs/screenshots/.
 */
import { mkdirSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import * as path from "node:path"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Harness from "./Harness.js"

const TAN_YEN = "bac-giang/tan-yen"
const CATALOG = "illustrative/tan-yen/district-advanced"
const screenshots =
  process.env.NTM_SCREENSHOTS === "1" ? path.resolve(Harness.root, "../../docs/screenshots") : undefined

let server: Harness.Server
let site: { url: string; stop: () => Promise<void> }
let browser: Browser
let page: Page

/** Waits until the element's text is exactly `text`; on a timeout, says what it showed instead. */
const waitForText = async (selector: string, text: string, timeout = 30_000): Promise<void> => {
  try {
    await page.waitForFunction(
      ([sel, txt]) => document.querySelector(sel!)?.textContent?.trim() === txt,
      [selector, text] as const,
      { timeout, polling: 100 }
    )
  } catch (e) {
    const shown = await page
      .locator(selector)
      .first()
      .textContent({ timeout: 1000 })
      .catch(() => "(nothing)")
    throw new Error(`${selector} should show ${JSON.stringify(text)} but shows ${JSON.stringify(shown)}: ${e}`)
  }
}

const setDate = async (asOf: string): Promise<void> => {
  await page.fill("#as-of", asOf)
  await page.locator("#as-of").dispatchEvent("change")
}

const shoot = async (name: string, options: { readonly selector?: string; readonly fullPage?: boolean } = {}) => {
  if (screenshots === undefined) return
  mkdirSync(screenshots, { recursive: true })
  const file = path.join(screenshots, `${name}.png`)
  if (options.selector !== undefined) await page.locator(options.selector).screenshot({ path: file })
  else await page.screenshot({ path: file, fullPage: options.fullPage ?? false })
}

beforeAll(async () => {
  browser = await Harness.launchChromium()
  // Built before the server starts: `ntm serve` serves examples/dashboard/dist at /app when it finds it.
  const dist = await Harness.buildPage()
  server = await Harness.startServer()
  site = await Harness.startStatic(dist, server.url)
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  page.on("pageerror", (e) => console.error("page error:", e))
})

afterAll(async () => {
  await browser?.close()
  await site?.stop()
  await server?.stop()
})

describe("dashboard", () => {
  it("shows the Tân Yên scorecard as of 5 April 2024: 29 of 38 indicators met", async () => {
    // A token in the address is not taken: it leaves the address bar, and the sign-in form asks for it.
    await page.goto(`${site.url}/app/?unit=${TAN_YEN}&asOf=2024-04-05&token=${server.auditor}`)
    await page.waitForSelector("form.connect [role=alert]")
    expect(await page.locator("form.connect [role=alert]").textContent()).toContain(
      "Không nhận mã truy cập trong địa chỉ"
    )
    expect(page.url()).not.toContain("token=")
    await Harness.signIn(page, `${site.url}/app/?unit=${TAN_YEN}&asOf=2024-04-05`, server.auditor)
    await waitForText("[data-testid=indicators-met]", "29/38")
    expect(await page.locator("#catalog").inputValue()).toBe(CATALOG)
    expect(page.url()).not.toContain("token=")
    // The nine indicators not met, each with the agency that answers for it.
    const rows = page.locator("[data-testid=not-met] tbody tr")
    expect(await rows.count()).toBe(9)
    expect(await rows.locator("th").allTextContents()).toEqual([
      "2.3",
      "5.3",
      "6.5",
      "7.3",
      "8.1",
      "8.2",
      "8.9",
      "9.2",
      "9.4"
    ])
    expect(await page.locator("[data-testid=not-met]").textContent()).toContain("Sở Giao thông vận tải")
    // The tree marks the units holding a standard on the date: the district and its 20 NTM communes.
    const held = page.locator("#hierarchy .badge.standard")
    expect(await held.count()).toBe(21)
    expect(await held.first().textContent()).toContain("nông thôn mới")
    // Vietnamese first.
    expect(await page.locator("html").getAttribute("lang")).toBe("vi")
    expect(await page.locator("#scorecard").textContent()).toContain("chỉ tiêu đạt")
    await shoot("scorecard-2024-04-05", { fullPage: true })
  })

  it("switches to English and back", async () => {
    await page.click("#lang-en")
    expect(await page.locator("html").getAttribute("lang")).toBe("en")
    expect(await page.locator("#scorecard").textContent()).toContain("indicators met")
    expect(await page.locator("label[for=as-of]").textContent()).toBe("As of")
    await shoot("scorecard-english")
    await page.click("#lang-vi")
    expect(await page.locator("label[for=as-of]").textContent()).toBe("Tính đến ngày")
  })

  it("moves every view to another date: 19 of 38 as of 30 June 2023", async () => {
    await setDate("2023-06-30")
    await waitForText("[data-testid=indicators-met]", "19/38")
    expect(new URL(page.url()).searchParams.get("asOf")).toBe("2023-06-30")
    // The timeline ends on the date chosen.
    expect(await page.locator("#timeline svg title").textContent()).toContain("19/38")
    await page.evaluate(() => window.history.back())
    await waitForText("[data-testid=indicators-met]", "29/38")
  })

  it("is usable with the keyboard: a skip link first, units as links", async () => {
    await page.reload()
    await waitForText("[data-testid=indicators-met]", "29/38")
    await page.keyboard.press("Tab")
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("skip")
    const commune = page.locator(`#hierarchy a[href*="unit=${encodeURIComponent(`${TAN_YEN}/viet-lap`)}"]`)
    await commune.focus()
    await page.keyboard.press("Enter")
    await page.waitForFunction(() => document.querySelector(".unit-title")?.textContent?.includes("Việt Lập"))
    expect(await commune.getAttribute("aria-current")).toBe("page")
    await page.locator(`#hierarchy a[href*="unit=${encodeURIComponent(TAN_YEN)}&"]`).click()
    await waitForText("[data-testid=indicators-met]", "29/38")
  })

  it("shows new evidence without a reload", async () => {
    await setDate("2024-06-01")
    await waitForText("[data-testid=indicators-met]", "29/38")
    await page.waitForSelector("#live[data-state=live]", { timeout: 30_000 })
    await page.evaluate(() => {
      ;(window as unknown as { marker: string }).marker = "same page"
    })
    // A district officer records it, through the API.
    const officer = await server.token("district", TAN_YEN)
    const response = await fetch(`${server.url}/evidence`, {
      method: "POST",
      headers: { authorization: `Bearer ${officer}`, "content-type": "application/json" },
      body: JSON.stringify({
        _tag: "RecordEvidence",
        entry: "dashboard-e2e-8.1",
        unit: TAN_YEN,
        catalog: CATALOG,
        code: "8.1",
        value: { _tag: "Percent", value: 81 },
        effective: "2024-05-01",
        sources: [{ title: "Báo cáo kiểm thử / end-to-end test" }]
      })
    })
    expect(response.status).toBe(200)
    await waitForText("[data-testid=indicators-met]", "30/38")
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("same page")
    expect(await page.locator("#updated").textContent()).toContain("EvidenceRecorded")
  })

  it("shows an indicator's history, dossiers and overdue commitments", async () => {
    await page.click('button[aria-label$=" 8.1"]')
    await page.waitForSelector("[data-testid=history] tbody tr")
    const history = await page.locator("[data-testid=history]").textContent()
    expect(history).toContain("81%")
    await shoot("history-8.1", { selector: "#history" })
    // After the commitments' due date (31 December 2024) the open ones are overdue.
    await setDate("2025-01-15")
    await page.waitForFunction(
      () => Number(document.querySelector("[data-testid=overdue-count]")?.textContent ?? "0") > 0
    )
    expect(await page.locator("[data-testid=pipeline-steps]").textContent()).toContain("6")
    // The district's dossier, opened on 15 November 2024, has waited past the test policy's 30 days.
    expect(await page.locator("[data-testid=late]").count()).toBe(1)
    expect(await page.locator("[data-testid=late]").textContent()).toContain("15/12/2024")
    await shoot("dashboard-2025-01-15", { fullPage: true })
    await shoot("pipeline-commitments", { selector: ".pair" })
    await shoot("timeline", { selector: "#timeline" })
    await shoot("hierarchy", { selector: "#hierarchy" })
  })

  it("is served by `ntm serve` itself at /app", async () => {
    const own = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    try {
      await Harness.signIn(own, `${server.url}/app/?unit=${TAN_YEN}&asOf=2024-06-01`, server.auditor)
      await own.waitForFunction(
        () => document.querySelector("[data-testid=indicators-met]")?.textContent === "30/38",
        undefined,
        { timeout: 30_000 }
      )
    } finally {
      await own.close()
    }
  })

  it("never sends the token to another origin named by ?api=", async () => {
    // a server that records every request it gets, and the authorization it carried
    const seen: Array<string> = []
    const evil = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ""}`)
      res.writeHead(200, { "access-control-allow-origin": "*", "access-control-allow-headers": "*" }).end("[]")
    })
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve))
    const { port } = evil.address() as AddressInfo
    const other = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    try {
      // a token already in the session, as after signing in; then a link naming another API
      await other.addInitScript((token) => sessionStorage.setItem("ntm.token", token), server.auditor)
      await other.goto(`${server.url}/app/?unit=${TAN_YEN}&api=${encodeURIComponent(`http://127.0.0.1:${port}`)}`)
      await other.waitForSelector(".connect .error", { timeout: 30_000 })
      expect(await other.locator(".connect .error").textContent()).toContain("Không gửi mã truy cập")
      expect(other.url()).not.toContain("api=")
      expect(await other.evaluate(() => sessionStorage.getItem("ntm.api"))).toBeNull()
      // signing in from the form with that address is refused too
      await other.fill("#token", server.auditor)
      await other.fill("#api", `http://127.0.0.1:${port}`)
      await other.click(".connect button[type=submit]")
      await other.waitForSelector(".connect .error", { timeout: 30_000 })
      await other.waitForTimeout(500)
      expect(seen).toEqual([])
    } finally {
      await other.close()
      await new Promise<void>((resolve) => evil.close(() => resolve()))
    }
  })

  it("fits a phone screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await setDate("2024-04-05")
    await waitForText("[data-testid=indicators-met]", "29/38")
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await shoot("phone", { fullPage: false })
    await page.setViewportSize({ width: 1280, height: 900 })
  })
})
