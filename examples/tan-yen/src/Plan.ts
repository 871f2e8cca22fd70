/**
 * What the notice of April 2024 asks for, recorded as commitments (cam kết), and the recognition dossiers that
 * follow.
 *
 * From the notice: the tasks, who is to act, and the deadlines it states: the study trip in April 2024; the
 * indicators to finish in 2024; the four advanced and two model commune dossiers verified by the district in
 * September and submitted to the province in October 2024; the district dossier to the Central Appraisal Council in
 * Q1/2025; the commitments made to the Ministry in 2020, still to complete (their content is not in the notice).
 * Illustrative: which communes the six dossiers are for, every date after April 2024, the satisfaction rates, and the
 * decision numbers.
 */
import { Actor, Catalog, Commitment, Dossier, Evidence, Recognition, Standard } from "@ntm/core"
import type { Step } from "./History.js"
import { actors, communeId, d, ids } from "./Roster.js"

const notice = new Evidence.DocumentRef({
  title:
    "Thông báo kết luận của Phó Chủ tịch UBND tỉnh Lê Ô Pích tại buổi làm việc với huyện Tân Yên về kế hoạch xây dựng huyện NTM nâng cao (tháng 4/2024)",
  issuer: "UBND tỉnh Bắc Giang"
})

const district = new Commitment.Party({ name: "UBND huyện Tân Yên", unit: ids.district })
const province = new Commitment.Party({ name: "UBND tỉnh Bắc Giang", unit: ids.province })
const ministry = new Commitment.Party({ name: "Bộ Nông nghiệp và Phát triển nông thôn" })

const commit = (
  id: string,
  description: string,
  due: string,
  responsible: { agency: string; head?: string },
  subject: { indicators?: ReadonlyArray<string>; standard?: string },
  options: { to?: Commitment.Party; effective?: string; madeFor?: string } = {}
): Step => ({
  recordedOn: "2024-04-10",
  kind: "commitment",
  command: new Commitment.MakeCommitment({
    commitment: `tan-yen:${id}`,
    maker: district,
    to: options.to ?? province,
    subject: new Commitment.Subject({
      unit: ids.district,
      catalog: ids.catalog,
      indicators: subject.indicators ?? [],
      criteria: [],
      ...(subject.standard !== undefined ? { standard: Standard.standardId(subject.standard) } : {})
    }),
    description,
    due: d(due),
    responsible: new Commitment.Responsible(responsible),
    source: notice,
    ...(options.madeFor !== undefined ? { madeFor: options.madeFor } : {}),
    effective: d(options.effective ?? "2024-04-05"),
    by: actors.district
  })
})

const head = (agency: string) => ({ agency, head: `Giám đốc ${agency}` })

/** The commitments of the notice. */
const commitments: ReadonlyArray<Step> = [
  commit(
    "study-trip",
    "Đi học tập kinh nghiệm tại các huyện đã đạt chuẩn NTM nâng cao / study trip to districts already advanced",
    "2024-04-30",
    { agency: "UBND huyện Tân Yên", head: "Chủ tịch UBND huyện Tân Yên" },
    { standard: "advanced" }
  ),
  commit(
    "2.3",
    "Rà soát bến xe khách, điều chỉnh quy hoạch nếu cần để đạt chỉ tiêu 2.3 / review the bus stations and revise the plan to meet 2.3",
    "2024-12-31",
    head("Sở Giao thông vận tải"),
    { indicators: ["2.3"] }
  ),
  commit(
    "5.3",
    "Chỉnh trang, xây dựng các trường THPT để được công nhận đạt chuẩn trong năm 2024 / bring the upper-secondary schools to national standard in 2024",
    "2024-12-31",
    head("Sở Giáo dục và Đào tạo"),
    { indicators: ["5.3"] }
  ),
  commit(
    "6.5",
    "Hoàn thiện quy hoạch, hồ sơ pháp lý mô hình thương mại điện tử Phúc Hòa và du lịch gắn OCOP xã Liên Chung / plan and license the Phúc Hòa e-commerce and Liên Chung OCOP tourism models",
    "2024-12-31",
    head("Sở Nông nghiệp và Phát triển nông thôn"),
    { indicators: ["6.5"] }
  ),
  commit(
    "7.3",
    "Chiến dịch vệ sinh môi trường, thu gom xử lý chất thải rắn / environmental sanitation campaign and solid-waste collection",
    "2024-12-31",
    head("Sở Tài nguyên và Môi trường"),
    { indicators: ["7.3"] }
  ),
  commit(
    "8.1-8.2",
    "Thống nhất với Công ty CP Đầu tư hạ tầng nước DNP - Bắc Giang phương án cấp nước sạch / agree the clean-water supply plan with DNP - Bắc Giang",
    "2024-12-31",
    head("Sở Nông nghiệp và Phát triển nông thôn"),
    { indicators: ["8.1", "8.2"] }
  ),
  commit(
    "8.9",
    "Đăng ký xây dựng đề án, mô hình xã thông minh / register a smart-commune project",
    "2024-12-31",
    head("Sở Thông tin và Truyền thông"),
    { indicators: ["8.9"] }
  ),
  commit(
    "9.2",
    "Hoàn thiện chỉ tiêu hành chính công / complete the public-administration indicator",
    "2024-12-31",
    head("Sở Nội vụ"),
    { indicators: ["9.2"] }
  ),
  commit(
    "9.4",
    "Giữ gìn an ninh trật tự, nhất là tại các địa phương có tình hình phức tạp / keep security and order, above all where the situation is complex",
    "2024-12-31",
    { agency: "Công an tỉnh", head: "Giám đốc Công an tỉnh" },
    { indicators: ["9.4"] }
  ),
  commit(
    "commune-dossiers-verified",
    "UBND huyện thẩm tra xong hồ sơ 04 xã NTM nâng cao và 02 xã NTM kiểu mẫu / the district verifies the 4 advanced and 2 model commune dossiers",
    "2024-09-30",
    { agency: "UBND huyện Tân Yên", head: "Chủ tịch UBND huyện Tân Yên" },
    { standard: "advanced" }
  ),
  commit(
    "commune-dossiers-submitted",
    "Trình UBND tỉnh thẩm định, công nhận 06 xã / submit the 6 commune dossiers to the province for appraisal and recognition",
    "2024-10-31",
    { agency: "UBND huyện Tân Yên", head: "Chủ tịch UBND huyện Tân Yên" },
    { standard: "advanced" }
  ),
  commit(
    "district-dossier",
    "Trình Hội đồng thẩm định Trung ương hồ sơ huyện NTM nâng cao trong quý I/2025 / submit the district dossier to the Central Appraisal Council in Q1/2025",
    "2025-03-31",
    { agency: "UBND huyện Tân Yên", head: "Chủ tịch UBND huyện Tân Yên" },
    { standard: "advanced" },
    { to: new Commitment.Party({ name: "Hội đồng thẩm định Trung ương" }) }
  ),
  commit(
    "2020-ministry",
    "Hoàn thiện các nội dung đã cam kết với Bộ NN&PTNT khi làm hồ sơ huyện NTM năm 2020 (nội dung không có trong thông báo; hạn theo yêu cầu hoàn thành trong năm 2024) / complete what was committed to the Ministry in 2020 (content not in the notice; due date from its call to finish in 2024)",
    "2024-12-31",
    { agency: "Sở Nông nghiệp và Phát triển nông thôn", head: "Giám đốc Sở Nông nghiệp và Phát triển nông thôn" },
    { standard: "ntm" },
    { to: ministry, effective: "2020-06-30", madeFor: `${ids.district}:ntm:2020-06-30` }
  )
]

const officer = (commune: string) =>
  new Actor.Actor({
    id: `ubnd-${communeId(commune).split("/").at(-1)}`,
    name: `UBND xã ${commune}`,
    role: "commune",
    unit: communeId(commune)
  })

const advancedSet = { id: Catalog.catalogId("vn/2021-2025/commune-advanced"), version: "211/2024" }
const modelSet = { id: Catalog.catalogId("vn/2021-2025/commune-model"), version: "319/2022" }

/** The six commune dossiers of 2024 (which communes: illustrative), taken through to recognition. */
const communeDossier = (commune: string, standard: "advanced" | "model"): ReadonlyArray<Step> => {
  const unit = communeId(commune)
  const dossier = `${unit}:${standard}:2024`
  const by = officer(commune)
  const catalog = standard === "advanced" ? advancedSet : modelSet
  const report = (title: string, date: string) => new Evidence.DocumentRef({ title, date: d(date) })
  return [
    {
      recordedOn: "2024-05-15",
      kind: "dossier",
      command: new Dossier.OpenDossier({
        dossier,
        unit,
        standard: Standard.standardId(standard),
        catalog,
        effective: d("2024-05-15"),
        by
      })
    },
    {
      recordedOn: "2024-08-15",
      kind: "dossier",
      command: new Dossier.SubmitSelfAssessment({ dossier, effective: d("2024-08-15"), by })
    },
    {
      recordedOn: "2024-08-26",
      kind: "dossier",
      command: new Dossier.RecordConsultation({ dossier, satisfaction: 96.5, effective: d("2024-08-25"), by })
    },
    {
      recordedOn: "2024-09-25",
      kind: "dossier",
      command: new Dossier.VerifyDossier({
        dossier,
        report: report("Báo cáo thẩm tra (minh họa) / verification report (illustrative)", "2024-09-25"),
        effective: d("2024-09-25"),
        by: actors.district
      })
    },
    {
      recordedOn: "2024-10-21",
      kind: "dossier",
      command: new Dossier.AppraiseDossier({
        dossier,
        council: "Hội đồng thẩm định cấp tỉnh Bắc Giang",
        report: report("Báo cáo thẩm định (minh họa) / appraisal report (illustrative)", "2024-10-20"),
        effective: d("2024-10-20"),
        by: actors.province
      })
    },
    {
      recordedOn: "2024-10-31",
      kind: "dossier",
      command: new Dossier.RecogniseDossier({
        dossier,
        recognition: `${unit}:${standard}:2024-10-30`,
        decision: new Recognition.Decision({
          number: `QĐ-UBND công nhận xã ${commune} (minh họa / illustrative)`,
          date: d("2024-10-30"),
          signer: "Chủ tịch UBND tỉnh Bắc Giang"
        }),
        // The shipped advanced and model commune sets hold few indicators (their tables were not found) and the
        // example records no commune evidence, so the frozen scorecard cannot meet the standard: the recognition
        // rests on the province's decision, and says so.
        override: {
          reason:
            "Bộ tiêu chí xã của tỉnh không có trong ví dụ; công nhận theo quyết định của UBND tỉnh / the province's commune criteria are not held in this example; recognised on the provincial decision"
        },
        effective: d("2024-10-30"),
        by: actors.province
      })
    }
  ]
}

const districtDossier: Step = {
  recordedOn: "2024-11-15",
  kind: "dossier",
  command: new Dossier.OpenDossier({
    dossier: `${ids.district}:advanced:2025`,
    unit: ids.district,
    standard: Standard.standardId("advanced"),
    catalog: { id: ids.catalog, version: "2024-illustrative" },
    effective: d("2024-11-15"),
    by: actors.district
  })
}

const fulfilled = (id: string, on: string, note: string): Step => ({
  recordedOn: on,
  kind: "commitment",
  command: new Commitment.FulfilCommitment({
    commitment: `tan-yen:${id}`,
    evidence: [],
    note,
    effective: d(on),
    by: actors.district
  })
})

/** Everything the notice set in motion, in the order it was recorded. */
export const plan: ReadonlyArray<Step> = [
  ...commitments,
  fulfilled("study-trip", "2024-04-26", "Đã đi học tập kinh nghiệm (minh họa) / study trip done (illustrative)"),
  ...(["Việt Lập", "Ngọc Lý", "Quế Nham", "Phúc Hòa"] as const).flatMap((c) => communeDossier(c, "advanced")),
  ...(["Ngọc Thiện", "Cao Xá"] as const).flatMap((c) => communeDossier(c, "model")),
  fulfilled(
    "commune-dossiers-verified",
    "2024-09-25",
    "06 hồ sơ đã thẩm tra (minh họa) / 6 dossiers verified (illustrative)"
  ),
  fulfilled(
    "commune-dossiers-submitted",
    "2024-10-20",
    "06 hồ sơ đã thẩm định (minh họa) / 6 dossiers appraised (illustrative)"
  ),
  districtDossier
]
