/**
 * Tân Yên's units and the people who act for them in the example.
 */
import { Actor, Bilingual, Catalog, LocalDate, Unit } from "@ntm/core"

export const d = LocalDate.unsafeMake
export const u = Unit.unitId
export const name = (vi: string, en: string) => Bilingual.make(vi, en)

export const ids = {
  province: u("bac-giang"),
  district: u("bac-giang/tan-yen"),
  catalog: Catalog.catalogId("illustrative/tan-yen/district-advanced"),
  districtNtm: Catalog.catalogId("vn/2021-2025/district-ntm")
} as const

export const actors = {
  admin: new Actor.Actor({ id: "vpdp-bac-giang", name: "Văn phòng Điều phối NTM tỉnh Bắc Giang", role: "admin" }),
  district: new Actor.Actor({
    id: "ubnd-tan-yen",
    name: "UBND huyện Tân Yên",
    role: "district",
    unit: ids.district
  }),
  transport: new Actor.Actor({
    id: "so-gtvt-bac-giang",
    name: "Sở Giao thông vận tải Bắc Giang",
    role: "province",
    unit: ids.province,
    agency: "Sở Giao thông vận tải"
  }),
  province: new Actor.Actor({
    id: "ubnd-bac-giang",
    name: "UBND tỉnh Bắc Giang",
    role: "province",
    unit: ids.province
  }),
  primeMinister: new Actor.Actor({ id: "ttg", name: "Thủ tướng Chính phủ", role: "central" })
} as const

/** The 20 communes and 2 towns of Tân Yên before the 2025 reform (names for illustration). */
export const communes = [
  "An Dương",
  "Cao Xá",
  "Đại Hóa",
  "Hợp Đức",
  "Lam Cốt",
  "Lan Giới",
  "Liên Chung",
  "Liên Sơn",
  "Ngọc Châu",
  "Ngọc Lý",
  "Ngọc Thiện",
  "Ngọc Vân",
  "Phúc Hòa",
  "Phúc Sơn",
  "Quang Tiến",
  "Quế Nham",
  "Song Vân",
  "Tân Trung",
  "Việt Lập",
  "Việt Ngọc"
] as const
export const towns = ["Cao Thượng", "Nhã Nam"] as const

const slug = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/\s+/g, "-")
export const ascii = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
export const communeId = (n: string) => u(`${ids.district}/${slug(n)}`)
