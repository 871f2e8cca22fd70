/**
 * Vietnamese first, English on a switch. The page's own words live here, each in both languages; the domain's
 * words come from the core (`Scoring.statusLabel`, `Dossier.stageLabel`, …, written "tiếng Việt / English") or
 * from the data (`Bilingual` names), and are split here, not translated again.
 */

/** The two languages of the page. */
export type Lang = "vi" | "en"

/** A text in both languages. */
export interface Text {
  readonly vi: string
  readonly en: string
}

let current: Lang = "vi"

/** The language shown. */
export const lang = (): Lang => current

/** Switches the language (the caller re-renders). */
export const setLang = (l: Lang): void => {
  current = l
  document.documentElement.lang = l
}

/** One side of a bilingual name from the data. */
export const text = (b: Text | undefined): string => (b === undefined ? "" : b[current])

/**
 * One side of a core label written "tiếng Việt / English" (the core's one-line form). A label without the
 * separator is the same in both languages.
 */
export const half = (label: string): string => {
  const i = label.indexOf(" / ")
  if (i < 0) return label
  return current === "vi" ? label.slice(0, i) : label.slice(i + 3)
}

/** A calendar date as people read it: 05/04/2024 in Vietnamese, 5 Apr 2024 in English. */
export const date = (d: string): string => {
  const [y, m, day] = d.split("-")
  if (current === "vi") return `${day}/${m}/${y}`
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Number(m) - 1]
  return `${Number(day)} ${month} ${y}`
}

/** A month, for the timeline's axis: 04/2024 or Apr 2024. */
export const month = (d: string): string => {
  const [y, m] = d.split("-")
  if (current === "vi") return `${m}/${y}`
  return `${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Number(m) - 1]} ${y}`
}

/** A recording time (epoch ms), in the browser's time zone. */
export const time = (ms: number): string =>
  new Date(ms).toLocaleString(current === "vi" ? "vi-VN" : "en-GB", { dateStyle: "short", timeStyle: "short" })

const words = {
  title: { vi: "Theo dõi nông thôn mới", en: "New rural development tracker" },
  subtitle: {
    vi: "Chỉ tiêu, cam kết và hồ sơ công nhận theo từng đơn vị, tính đến một ngày",
    en: "Indicators, commitments and recognition dossiers per unit, as of a date"
  },
  skip: { vi: "Bỏ qua, đến nội dung chính", en: "Skip to main content" },
  controls: { vi: "Bộ lọc", en: "Filters" },
  unit: { vi: "Đơn vị", en: "Unit" },
  asOf: { vi: "Tính đến ngày", en: "As of" },
  today: { vi: "Hôm nay", en: "Today" },
  catalog: { vi: "Bộ tiêu chí", en: "Criteria set" },
  language: { vi: "Ngôn ngữ", en: "Language" },
  connection: { vi: "Kết nối", en: "Connection" },
  apiBase: { vi: "Địa chỉ API", en: "API address" },
  apiBaseHelp: { vi: "Để trống: cùng máy chủ với trang này", en: "Empty: the server that serves this page" },
  apiRefused: {
    vi: "Không gửi mã truy cập tới địa chỉ API này (chỉ máy chủ của trang hoặc địa chỉ được cấu hình khi dựng trang)",
    en: "The token is not sent to this API address (only this page's server, or one configured when the page was built)"
  },
  token: { vi: "Mã truy cập", en: "Access token" },
  tokenHelp: {
    vi: "Mã ntm_… do quản trị viên cấp (ntm token create). Chỉ lưu trong phiên trình duyệt này.",
    en: "An ntm_… token from your administrator (ntm token create). Kept for this browser session only."
  },
  connect: { vi: "Kết nối", en: "Connect" },
  disconnect: { vi: "Đăng xuất", en: "Sign out" },
  needToken: { vi: "Nhập mã truy cập để xem số liệu.", en: "Enter an access token to see the data." },
  tokenNotInUrl: {
    vi: "Không nhận mã truy cập trong địa chỉ trang (nó sẽ nằm trong lịch sử và nhật ký máy chủ); hãy nhập vào ô dưới đây.",
    en: "A token in the page address is not accepted (it would stay in the history and the server's logs); enter it below."
  },
  liveConnecting: { vi: "Đang kết nối trực tiếp…", en: "Connecting live…" },
  liveOn: { vi: "Trực tiếp", en: "Live" },
  liveOff: { vi: "Mất kết nối trực tiếp, đang thử lại", en: "Live connection lost, retrying" },
  updated: { vi: "Đã cập nhật", en: "Updated" },
  loading: { vi: "Đang tải…", en: "Loading…" },
  error: { vi: "Lỗi", en: "Error" },

  hierarchy: { vi: "Đơn vị hành chính", en: "Administrative units" },
  holding: { vi: "đạt chuẩn", en: "holding" },
  of: { vi: "trên", en: "of" },

  scorecard: { vi: "Bảng điểm", en: "Scorecard" },
  indicatorsMet: { vi: "chỉ tiêu đạt", en: "indicators met" },
  criteriaMet: { vi: "tiêu chí đạt", en: "criteria met" },
  standardMet: { vi: "Đạt chuẩn", en: "Standard met" },
  standardNotMet: { vi: "Chưa đạt chuẩn", en: "Standard not met" },
  conditions: { vi: "Điều kiện", en: "Conditions" },
  notMet: { vi: "Chỉ tiêu chưa đạt", en: "Indicators not met" },
  allMet: { vi: "Mọi chỉ tiêu áp dụng đều đạt.", en: "Every applicable indicator is met." },
  byCriterion: { vi: "Theo tiêu chí", en: "By criterion" },
  code: { vi: "Mã", en: "Code" },
  indicator: { vi: "Chỉ tiêu", en: "Indicator" },
  criterion: { vi: "Tiêu chí", en: "Criterion" },
  requirement: { vi: "Yêu cầu", en: "Requirement" },
  value: { vi: "Giá trị", en: "Value" },
  status: { vi: "Tình trạng", en: "Status" },
  agency: { vi: "Cơ quan phụ trách", en: "Responsible agency" },
  commitment: { vi: "Cam kết", en: "Commitment" },
  due: { vi: "Hạn", en: "Due" },
  history: { vi: "Lịch sử", en: "History" },
  historyOf: { vi: "Xem lịch sử chỉ tiêu", en: "Show the history of indicator" },
  noCatalog: {
    vi: "Không có bộ tiêu chí nào áp dụng cho cấp này; xem tổng hợp các đơn vị trực thuộc.",
    en: "No criteria set applies at this level; see the roll-up of the units under it."
  },
  illustrative: {
    vi: "Bộ tiêu chí minh họa, không phải quy định pháp luật.",
    en: "An illustrative criteria set, not law."
  },
  rollup: { vi: "Các đơn vị trực thuộc", en: "Units under it" },

  timeline: { vi: "Diễn biến theo tháng", en: "Month by month" },
  timelineChart: { vi: "Số chỉ tiêu đạt vào cuối mỗi tháng", en: "Indicators met at the end of each month" },
  monthCol: { vi: "Tháng", en: "Month" },
  metCol: { vi: "Chỉ tiêu đạt", en: "Indicators met" },
  showTable: { vi: "Xem dạng bảng", en: "Show as a table" },

  pipeline: { vi: "Hồ sơ công nhận", en: "Recognition dossiers" },
  stage: { vi: "Bước", en: "Step" },
  standard: { vi: "Chuẩn", en: "Standard" },
  since: { vi: "Từ ngày", en: "Since" },
  daysAtStep: { vi: "Số ngày ở bước này", en: "Days at this step" },
  lateSince: { vi: "quá hạn từ", en: "overdue since" },
  deadlineUnverified: { vi: "thời hạn chưa kiểm chứng", en: "unverified deadline" },
  noDossiers: { vi: "Chưa có hồ sơ nào.", en: "No dossiers yet." },
  deadlines: {
    vi: "Thời hạn từng bước chưa được cấu hình trong máy chủ, nên chưa đánh dấu hồ sơ trễ hạn.",
    en: "No step deadlines are configured on the server, so no dossier is marked late."
  },
  late: { vi: "Trễ hạn", en: "Late" },

  commitments: { vi: "Cam kết theo cơ quan", en: "Commitments by agency" },
  overdue: { vi: "Quá hạn", en: "Overdue" },
  dueSoon: { vi: "Sắp đến hạn", en: "Due soon" },
  open: { vi: "Đang thực hiện", en: "Open" },
  closed: { vi: "Đã đóng", en: "Closed" },
  description: { vi: "Nội dung", en: "What" },
  noCommitments: { vi: "Chưa có cam kết nào.", en: "No commitments yet." },
  nothingOverdue: { vi: "Không có cam kết quá hạn.", en: "No overdue commitments." },

  audit: { vi: "Lịch sử chỉ tiêu", en: "Indicator history" },
  chooseIndicator: { vi: "Chỉ tiêu", en: "Indicator" },
  effective: { vi: "Hiệu lực", en: "Effective" },
  recorded: { vi: "Ghi nhận lúc", en: "Recorded" },
  event: { vi: "Sự kiện", en: "Event" },
  actor: { vi: "Người ghi", en: "By" },
  sources: { vi: "Nguồn", en: "Sources" },
  noHistory: { vi: "Chưa có ghi nhận nào.", en: "Nothing recorded yet." },
  noSelection: { vi: "Chọn một chỉ tiêu trong bảng điểm.", en: "Pick an indicator on the scorecard." }
} satisfies Record<string, Text>

/** A word of the page, in the current language. */
export const t = (key: keyof typeof words): string => words[key][current]

const eventTypes: Record<string, Text> = {
  EvidenceRecorded: { vi: "Ghi minh chứng", en: "Evidence recorded" },
  EvidenceCorrected: { vi: "Sửa minh chứng", en: "Evidence corrected" },
  EvidenceRetracted: { vi: "Rút minh chứng", en: "Evidence retracted" },
  IndicatorAssessed: { vi: "Đánh giá chỉ tiêu", en: "Indicator assessed" },
  AssessmentWithdrawn: { vi: "Rút đánh giá", en: "Assessment withdrawn" }
}

/** The name of a recorded event's type. */
export const eventType = (type: string): string => text(eventTypes[type]) || type
