/**
 * The dashboard: the settings (unit, date, criteria set, language) kept in the URL, the reads they call for, and
 * the panels drawn from the answers. Every number on the page is one the server computed with the core; the page
 * only picks what to ask and lays it out.
 */
import type * as Views from "@ntm/http/Views"
import * as Client from "./Client.js"
import * as CommitmentsPanel from "./CommitmentsPanel.js"
import { byId, h, mount } from "./Dom.js"
import { loading, type Result, settle } from "./Format.js"
import * as HierarchyPanel from "./HierarchyPanel.js"
import * as HistoryPanel from "./HistoryPanel.js"
import { date, type Lang, lang, setLang, t, text, time } from "./I18n.js"
import * as Live from "./Live.js"
import * as PipelinePanel from "./PipelinePanel.js"
import * as ScorecardPanel from "./ScorecardPanel.js"
import * as TimelinePanel from "./TimelinePanel.js"

/** What the page shows, as the URL says it. */
export interface Settings {
  readonly unit: string | undefined
  readonly asOf: string
  readonly catalog: string | undefined
  /** The indicator whose history is open. */
  readonly code: string | undefined
}

/** How many months the timeline goes back. */
const MONTHS = 18

/** Today in the browser's calendar. */
export const today = (): string => {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`
}

/** Everything one round of reads brought back. */
interface Loaded {
  readonly settings: Settings
  readonly units: ReadonlyArray<Views.UnitView>
  readonly unit: Views.UnitView
  readonly candidates: ReadonlyArray<Views.CatalogVersionSummary>
  readonly rollups: Result<ReadonlyArray<Views.RollupView>>
  readonly allDossiers: Result<ReadonlyArray<Views.DossierView>>
  readonly unitRollup: Result<Views.RollupView>
  readonly scorecard: Result<Views.ScorecardView> | undefined
  readonly timeline: Result<ReadonlyArray<TimelinePanel.Point>> | undefined
  readonly commitments: Result<ReadonlyArray<Views.CommitmentView>>
  readonly dossiers: Result<ReadonlyArray<Views.DossierView>>
  readonly history: Result<ReadonlyArray<Views.HistoryLine>> | undefined
}

/** Runs `f` over `items`, at most `n` at a time, keeping the order. */
const pool = async <A, B>(items: ReadonlyArray<A>, n: number, f: (a: A) => Promise<B>): Promise<Array<B>> => {
  const out: Array<B> = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await f(items[i] as A)
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker))
  return out
}

/** The dashboard, mounted on the page's containers. */
export class App {
  private settings: Settings
  private loaded: Loaded | undefined
  private generation = 0
  private catalogs: Promise<ReadonlyArray<Views.CatalogVersionSummary>> | undefined
  /** The criteria set picked for each unit, so that moving the date keeps it. */
  private readonly chosen = new Map<string, string>()
  private liveTimer: ReturnType<typeof setTimeout> | undefined
  private live: Live.LiveStatus = "connecting"

  constructor(
    private readonly reads: Client.Reads,
    private readonly connection: Client.Connection,
    settings: Settings,
    private readonly onSignOut: () => void
  ) {
    this.settings = settings
    if (settings.unit !== undefined && settings.catalog !== undefined) this.chosen.set(settings.unit, settings.catalog)
  }

  /** Starts the live feed and the first round of reads. */
  async start(signal: AbortSignal): Promise<void> {
    this.renderChrome()
    window.addEventListener("popstate", () => {
      this.settings = fromUrl(new URL(window.location.href))
      void this.refresh()
    })
    const after = await this.reads.position().catch(() => 0)
    void Live.follow({
      connection: this.connection,
      after,
      signal,
      onStatus: (s) => this.liveStatus(s),
      onEvent: (e) => this.onLiveEvent(e)
    })
    await this.refresh()
  }

  // --- settings ---------------------------------------------------------------------------------------------

  private href(patch: Partial<Settings>): string {
    const s = { ...this.settings, ...patch }
    const url = new URL(window.location.href)
    url.search = ""
    if (s.unit !== undefined) url.searchParams.set("unit", s.unit)
    url.searchParams.set("asOf", s.asOf)
    if (s.catalog !== undefined) url.searchParams.set("catalog", s.catalog)
    if (s.code !== undefined) url.searchParams.set("code", s.code)
    url.searchParams.set("lang", lang())
    return url.toString()
  }

  private update(patch: Partial<Settings>, push = true): void {
    this.settings = { ...this.settings, ...patch }
    const url = this.href({})
    if (push && url !== window.location.href) window.history.pushState(null, "", url)
    else window.history.replaceState(null, "", url)
    void this.refresh()
  }

  private selectUnit(unit: string): void {
    this.update({ unit, catalog: this.chosen.get(unit), code: undefined })
  }

  private setLanguage(l: Lang): void {
    setLang(l)
    window.history.replaceState(null, "", this.href({}))
    this.renderChrome()
    if (this.loaded !== undefined) this.render(this.loaded)
    document.getElementById(`lang-${l}`)?.focus()
  }

  // --- reads ------------------------------------------------------------------------------------------------

  /**
   * The criteria set shown for a unit when none is named: among those that apply to its kind (and province), the
   * one with the most indicators that have data on the date. The user can pick another; the choice stays while the
   * date moves.
   */
  private async defaultCatalog(
    unit: string,
    candidates: ReadonlyArray<Views.CatalogVersionSummary>
  ): Promise<string | undefined> {
    const ids = [...new Set(candidates.map((c) => c.id))]
    if (ids.length <= 1) return ids[0]
    const scored = await pool(ids, 4, async (id) => {
      const card = await this.reads.scorecard(unit, id, this.settings.asOf).catch(() => undefined)
      return { id, known: card === undefined ? -1 : card.indicators.applicable - card.indicators.noData }
    })
    return scored.reduce((best, c) => (c.known > best.known ? c : best)).id
  }

  /** Reads everything the settings call for, then draws it, unless newer settings arrived meanwhile. */
  async refresh(): Promise<void> {
    const generation = ++this.generation
    const main = byId("main")
    main.setAttribute("aria-busy", "true")
    const describe = Client.describeError
    try {
      this.catalogs ??= this.reads.catalogs()
      const { asOf } = this.settings
      const [units, catalogs] = await Promise.all([this.reads.units(asOf), this.catalogs])
      if (units.length === 0) throw new Error("no units")
      const unit =
        units.find((u) => u.id === this.settings.unit) ?? units.find((u) => u.kind === "district") ?? units[0]!
      const detail = await this.reads.unit(unit.id, asOf)
      const province = unit.kind === "province" ? unit.id : detail.ancestors.find((a) => a.kind === "province")?.id
      const candidates = catalogs.filter(
        (c) =>
          c.appliesTo.includes(unit.kind) &&
          c.effective.from <= asOf &&
          (c.effective.until === undefined || asOf <= c.effective.until) &&
          (c.province === undefined || c.province === province)
      )
      let catalog = this.settings.catalog
      if (catalog === undefined || !candidates.some((c) => c.id === catalog)) {
        catalog = this.chosen.get(unit.id)
        if (catalog === undefined || !candidates.some((c) => c.id === catalog))
          catalog = await this.defaultCatalog(unit.id, candidates)
      }
      if (catalog !== undefined) this.chosen.set(unit.id, catalog)
      if (generation !== this.generation) return
      this.settings = { ...this.settings, unit: unit.id, catalog }
      window.history.replaceState(null, "", this.href({}))

      const roots = units.filter((u) => u.parent === undefined)
      const code = this.settings.code
      const [rollups, allDossiers, unitRollup, scorecard, timeline, commitments, dossiers, history] = await Promise.all(
        [
          settle(Promise.all(roots.map((r) => this.reads.rollup(r.id, asOf, 5))), describe),
          settle(this.reads.dossiers(roots[0]?.id ?? unit.id, asOf), describe),
          settle(this.reads.rollup(unit.id, asOf, 0), describe),
          catalog === undefined ? undefined : settle(this.reads.scorecard(unit.id, catalog, asOf), describe),
          catalog === undefined
            ? undefined
            : settle(
                pool(TimelinePanel.dates(asOf, MONTHS), 4, (d) =>
                  this.reads.scorecard(unit.id, catalog, d).then(
                    (c): TimelinePanel.Point => ({
                      date: d,
                      met: c.indicators.met,
                      applicable: c.indicators.applicable
                    }),
                    (): TimelinePanel.Point => ({ date: d })
                  )
                ),
                describe
              ),
          settle(this.reads.commitments(unit.id, asOf), describe),
          settle(this.reads.dossiers(unit.id, asOf), describe),
          catalog === undefined || code === undefined
            ? undefined
            : settle(this.reads.history(unit.id, catalog, code), describe)
        ]
      )
      if (generation !== this.generation) return
      this.loaded = {
        settings: this.settings,
        units,
        unit,
        candidates,
        rollups,
        allDossiers,
        unitRollup,
        scorecard,
        timeline,
        commitments,
        dossiers,
        history
      }
      this.render(this.loaded)
    } catch (e) {
      if (generation !== this.generation) return
      mount(byId("scorecard"), h("p", { class: "error", role: "alert" }, `${t("error")}: ${Client.describeError(e)}`))
    } finally {
      if (generation === this.generation) main.removeAttribute("aria-busy")
    }
  }

  // --- live -------------------------------------------------------------------------------------------------

  private liveStatus(s: Live.LiveStatus): void {
    this.live = s
    const el = byId("live")
    el.dataset.state = s
    el.textContent = s === "live" ? `● ${t("liveOn")}` : s === "connecting" ? t("liveConnecting") : t("liveOff")
  }

  /**
   * Any recorded event may change what the page shows: evidence changes a scorecard, a commune's recognition
   * changes its district's conditions and every roll-up above it. So every event refreshes the page (once for a
   * burst), and the status line says what came in.
   */
  private onLiveEvent(e: Live.LiveEvent): void {
    if (this.liveTimer !== undefined) clearTimeout(this.liveTimer)
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined
      void this.refresh().then(() => {
        byId("updated").textContent = `${t("updated")} ${time(Date.now())}: ${e.type}`
      })
    }, 300)
  }

  // --- drawing ----------------------------------------------------------------------------------------------

  /** The header and the settings form, drawn again when the language changes. */
  private renderChrome(): void {
    document.title = t("title")
    mount(byId("skip"), t("skip"))
    mount(
      byId("header"),
      h("div", { class: "brand" }, h("h1", {}, t("title")), h("p", { class: "muted" }, t("subtitle"))),
      h(
        "div",
        { class: "tools" },
        h(
          "div",
          { role: "group", "aria-label": t("language"), class: "lang" },
          (["vi", "en"] as const).map((l) =>
            h(
              "button",
              {
                type: "button",
                id: `lang-${l}`,
                lang: l,
                "aria-pressed": lang() === l ? "true" : "false",
                onclick: () => this.setLanguage(l)
              },
              l === "vi" ? "Tiếng Việt" : "English"
            )
          )
        ),
        h("p", { id: "live", role: "status" }),
        h("p", { id: "updated", class: "muted small", "aria-live": "polite" }),
        h("button", { type: "button", class: "link", onclick: () => this.onSignOut() }, t("disconnect"))
      )
    )
    this.liveStatus(this.live)
    this.renderControls()
  }

  private renderControls(): void {
    const l = this.loaded
    const asOfInput = h("input", {
      type: "date",
      id: "as-of",
      name: "asOf",
      value: this.settings.asOf,
      required: true,
      onchange: (ev: Event) => {
        const v = (ev.target as HTMLInputElement).value
        if (/^\d{4}-\d{2}-\d{2}$/.test(v)) this.update({ asOf: v })
      }
    })
    mount(
      byId("controls"),
      h("h2", { id: "controls-title", class: "visually-hidden" }, t("controls")),
      h(
        "p",
        { class: "field" },
        h("label", { for: "unit" }, t("unit")),
        h(
          "select",
          {
            id: "unit",
            name: "unit",
            onchange: (ev: Event) => this.selectUnit((ev.target as HTMLSelectElement).value)
          },
          (l?.units ?? []).map((u) =>
            h(
              "option",
              { value: u.id, selected: u.id === this.settings.unit },
              `${"\u00a0\u00a0".repeat(u.id.split("/").length - 1)}${text(u.name)}`
            )
          )
        )
      ),
      h(
        "p",
        { class: "field" },
        h("label", { for: "as-of" }, t("asOf")),
        h(
          "span",
          { class: "inline" },
          asOfInput,
          h("button", { type: "button", onclick: () => this.update({ asOf: today() }) }, t("today"))
        )
      ),
      h(
        "p",
        { class: "field" },
        h("label", { for: "catalog" }, t("catalog")),
        h(
          "select",
          {
            id: "catalog",
            name: "catalog",
            disabled: l !== undefined && l.candidates.length === 0,
            onchange: (ev: Event) => {
              const v = (ev.target as HTMLSelectElement).value
              if (this.settings.unit !== undefined) this.chosen.set(this.settings.unit, v)
              this.update({ catalog: v, code: undefined })
            }
          },
          [...new Map((l?.candidates ?? []).map((c) => [c.id, c])).values()].map((c) =>
            h("option", { value: c.id, selected: c.id === this.settings.catalog }, text(c.name))
          )
        )
      )
    )
  }

  private render(l: Loaded): void {
    this.renderControls()
    const names = new Map(l.units.map((u) => [u.id, u]))
    mount(
      byId("hierarchy"),
      HierarchyPanel.render({
        units: l.units,
        selected: l.unit.id,
        rollups: l.rollups,
        dossiers: l.allDossiers,
        href: (unit) => this.href({ unit, catalog: this.chosen.get(unit), code: undefined }),
        onSelect: (unit) => this.selectUnit(unit)
      })
    )
    mount(
      byId("scorecard"),
      h("p", { class: "unit-title" }, text(l.unit.name), " · ", date(l.settings.asOf)),
      ScorecardPanel.render({
        scorecard: l.scorecard,
        commitments: l.commitments,
        rollup: l.unitRollup,
        onHistory: (code) => {
          this.update({ code })
          byId("history").scrollIntoView({ block: "start" })
          window.setTimeout(() => document.getElementById("history-code")?.focus(), 0)
        }
      })
    )
    mount(byId("timeline"), TimelinePanel.render(l.timeline))
    mount(byId("pipeline"), PipelinePanel.render(l.dossiers, names, l.settings.asOf))
    mount(byId("commitments"), CommitmentsPanel.render(l.commitments))
    mount(
      byId("history"),
      HistoryPanel.render({
        code: l.settings.code,
        indicators:
          l.scorecard !== undefined && "ok" in l.scorecard ? l.scorecard.ok.criteria.flatMap((c) => c.indicators) : [],
        history: l.history,
        onPick: (code) => this.update({ code })
      })
    )
  }

  /** Placeholders while the first reads run. */
  static placeholders(): void {
    for (const id of ["hierarchy", "scorecard", "timeline", "pipeline", "commitments", "history"])
      mount(byId(id), loading())
  }
}

/** The settings a URL names. */
export const fromUrl = (url: URL): Settings => {
  const asOf = url.searchParams.get("asOf")
  return {
    unit: url.searchParams.get("unit") ?? undefined,
    asOf: asOf !== null && /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : today(),
    catalog: url.searchParams.get("catalog") ?? undefined,
    code: url.searchParams.get("code") ?? undefined
  }
}
