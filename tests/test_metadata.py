"""Who reported, for which year, and when: every field on the seeds and on written fixtures."""

from __future__ import annotations

import datetime as dt

import pytest

import lawreports
from lawreports.metadata import parse_date, split_body

from conftest import FIXTURES, seed_path

D = dt.date

# file prefix: jurisdiction, division_type, tier, province, prefecture, county, adcode, year, published, signed
SEED_EXPECTED = {
    "000": ("海陵试验区", "zone", "prefecture", "广东省", "阳江市", None, None, 2021, D(2022, 1, 29), None),
    "001": ("天镇县", "county", "county", "山西省", "大同市", "天镇县", "140222", 2019, D(2020, 3, 31), D(2020, 3, 30)),
    "002": ("伊春市", "city", "prefecture", "黑龙江省", "伊春市", None, "230700", 2022, D(2023, 3, 14), None),
    "003": ("武清区", "district", "county", "天津市", "天津市", "武清区", "120114", 2023, D(2024, 2, 28), None),
    "004": ("珍溪镇", "town", "township", "重庆市", "重庆市", "涪陵区", None, 2022, D(2023, 1, 9), None),
}
FIELDS = ("jurisdiction", "division_type", "tier", "province", "prefecture", "county", "adcode",
          "report_year", "published", "signed")


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seed_metadata(prefix, seeds):
    meta = seeds[prefix].meta
    got = tuple(getattr(meta, f) for f in FIELDS)
    assert got == SEED_EXPECTED[prefix]


def test_seed_titles_and_bodies(seeds):
    assert seeds["000"].meta.title == "海陵试验区管委会2021年法治政府建设工作报告"
    assert seeds["000"].meta.body == "海陵试验区管委会"
    assert seeds["001"].meta.body == "天镇县人民政府"            # from the signature
    assert seeds["001"].meta.evidence["body"].rule == "signature"
    assert seeds["002"].meta.body is None                         # the report names no issuing body
    assert seeds["002"].meta.publisher == "伊春市司法局"           # the page's 来源 line
    assert seeds["003"].meta.body == "武清区人民政府"
    assert seeds["004"].meta.body == "重庆市涪陵区珍溪镇人民政府"
    assert seeds["004"].meta.parent_adcode == "500102"            # 涪陵区


def test_hailing_zone_is_placed_by_the_page_not_the_namesake(seeds):
    """海陵试验区 is in 阳江 (the page says 阳江 and 广东), not 泰州's 海陵区 (321202)."""
    meta = seeds["000"].meta
    assert meta.parent_adcode == "441700"
    assert "阳江市" in meta.evidence["prefecture"].rule


def test_every_value_has_evidence(seeds):
    for report in seeds.values():
        for name, value in report.meta.as_dict().items():
            if value is not None:
                assert name in report.meta.evidence, (report.report_id, name)
                assert report.meta.evidence[name].rule


def test_published_is_never_the_site_clock_or_a_body_date(seeds):
    # 天镇: the page line "2020-03-31 阅读次数" is the publication date, the signature says 3-30
    assert seeds["001"].meta.evidence["published"].text.startswith("2020-03-31")
    for report in seeds.values():
        assert report.meta.evidence["published"].text not in report.text


# fixture file: jurisdiction, body, division_type, tier, province, prefecture, county, adcode, published
FIXTURE_EXPECTED = {
    "province": ("山西省", "山西省人民政府", "province", "province", "山西省", None, None, "140000", D(2023, 3, 28)),
    "autonomous_prefecture": ("延边朝鲜族自治州", "延边朝鲜族自治州人民政府", "city", "prefecture", "吉林省",
                              "延边朝鲜族自治州", None, "222400", D(2022, 3, 15)),
    "county_city": ("义乌市", "义乌市人民政府", "county_city", "county", "浙江省", "金华市", "义乌市", "330782",
                    D(2023, 2, 27)),
    "banner": ("准格尔旗", "准格尔旗人民政府", "county", "county", "内蒙古自治区", "鄂尔多斯市", "准格尔旗", "150622",
               D(2023, 3, 10)),
    "township": ("方祥乡", "雷山县方祥乡人民政府", "township", "township", "贵州省", "黔东南苗族侗族自治州", "雷山县",
                 None, D(2023, 1, 16)),
    "subdistrict": ("建外街道", "北京市朝阳区建外街道办事处", "subdistrict", "township", "北京市", "北京市", "朝阳区",
                    None, D(2023, 2, 14)),
    "city_justice_bureau": ("伊春市", "伊春市司法局", "department", "prefecture", "黑龙江省", "伊春市", None, "230700",
                            D(2023, 2, 20)),
    "district_ndrc": ("武清区", "武清区发展和改革委员会", "department", "county", "天津市", "天津市", "武清区", "120114",
                      D(2024, 1, 25)),
    "development_zone": ("南宁高新技术产业开发区", "南宁高新技术产业开发区管理委员会", "zone", "prefecture",
                         "广西壮族自治区", "南宁市", None, None, D(2023, 3, 2)),
    "header_clock": ("余姚市", "余姚市人民政府", "county_city", "county", "浙江省", "宁波市", "余姚市", "330281",
                     D(2022, 3, 18)),
    "no_publication_date": ("平遥县", "平遥县人民政府", "county", "county", "山西省", "晋中市", "平遥县", "140728",
                            D(2021, 3, 25)),
    "no_dates_at_all": ("东阳市", None, "county_city", "county", "浙江省", "金华市", "东阳市", "330783", None),
    "hosted_elsewhere": ("兰溪市", "兰溪市人民政府", "county_city", "county", "浙江省", "金华市", "兰溪市", "330781",
                         D(2023, 3, 6)),
    "traditional": ("天镇县", "天镇县人民政府", "county", "county", "山西省", "大同市", "天镇县", "140222",
                    D(2020, 3, 31)),
    "namesake_district": ("鼓楼区", "鼓楼区人民政府", "district", "county", "福建省", "福州市", "鼓楼区", "350102",
                          D(2023, 3, 15)),
}
FIXTURE_FIELDS = ("jurisdiction", "body", "division_type", "tier", "province", "prefecture", "county", "adcode",
                  "published")


@pytest.mark.parametrize("name", sorted(FIXTURE_EXPECTED))
def test_fixture_metadata(name):
    meta = lawreports.read_report(FIXTURES / "metadata" / f"{name}.txt").meta
    assert tuple(getattr(meta, f) for f in FIXTURE_FIELDS) == FIXTURE_EXPECTED[name]


def test_header_clock_is_not_the_publication_date():
    report = lawreports.read_report(FIXTURES / "metadata" / "header_clock.txt")
    assert report.meta.published == D(2022, 3, 18)
    assert report.meta.report_year == 2021          # not 2026 from the clock, not 2022 from publication
    assert any("今天是" in s.text for s in report.stripped)


def test_no_publication_date_falls_back_to_signature_with_a_warning():
    meta = lawreports.read_report(FIXTURES / "metadata" / "no_publication_date.txt").meta
    assert meta.published == meta.signed == D(2021, 3, 25)
    assert "published_from_signature" in meta.warnings
    assert meta.report_year == 2020
    meta = lawreports.read_report(FIXTURES / "metadata" / "no_dates_at_all.txt").meta
    assert meta.published is None and "no_published_date" in meta.warnings


def test_place_only_in_body_or_signature():
    meta = lawreports.read_report(FIXTURES / "metadata" / "no_dates_at_all.txt").meta
    assert meta.evidence["jurisdiction"].rule == "opening paragraph"
    meta = lawreports.read_report(seed_path("001")).meta
    assert meta.evidence["jurisdiction"].rule == "signature"


def test_hosted_on_another_governments_site():
    meta = lawreports.read_report(FIXTURES / "metadata" / "hosted_elsewhere.txt").meta
    assert meta.jurisdiction == "兰溪市"
    assert meta.publisher == "金华市司法局"
    assert meta.site == "金华市"


def test_traditional_page_is_converted_and_flagged():
    report = lawreports.read_report(FIXTURES / "metadata" / "traditional.txt")
    assert "traditional_converted" in report.warnings
    assert report.meta.report_year == 2019
    assert "法治政府建设" in report.text


def test_department_place_is_the_jurisdiction():
    meta = lawreports.read_report(FIXTURES / "metadata" / "city_justice_bureau.txt").meta
    assert meta.evidence["division_type"].rule.startswith("body is a department")


def test_parse_date_forms():
    assert parse_date("编辑日期:2022/01/29 12:07:22") == D(2022, 1, 29)
    assert parse_date("2023年3月14日") == D(2023, 3, 14)
    assert parse_date("二〇二三年三月十四日") == D(2023, 3, 14)
    assert parse_date("2023.03.14") == D(2023, 3, 14)
    assert parse_date("2023-13-45") is None
    assert parse_date("没有日期") is None


def test_split_body():
    units, rest = split_body("重庆市涪陵区珍溪镇人民政府")
    assert [u.name for u in units] == ["重庆市", "涪陵区", "珍溪镇"] and rest == "人民政府"
    units, rest = split_body("武清区发展和改革委员会")
    assert [u.name for u in units] == ["武清区"] and rest == "发展和改革委员会"
    units, rest = split_body("重庆市涪陵区河北镇人民政府")        # 河北 is also 河北省's short name
    assert [u.name for u in units] == ["重庆市", "涪陵区", "河北镇"] and rest == "人民政府"
    units, rest = split_body("阳江海陵岛经济开发试验区管理委员会")
    assert [u.name for u in units] == ["阳江", "海陵岛经济开发试验区"] and rest == "管理委员会"


def _meta_of(page: str):
    return lawreports.read_report(text=page).meta


def test_the_first_heading_names_the_year_reported_on():
    m = _meta_of("一、2023年度法治政府建设的主要举措和成效\n(一)深入学习贯彻习近平法治思想。\n"
                 "一是加强组织领导。根据镇党政班子成员调整情况,及时调整蔡家桥镇法治政府建设领导小组成员。")
    assert m.report_year == 2023 and m.evidence["report_year"].rule == "first heading"


def test_the_year_of_an_opening_after_its_addressee_on_one_line():
    m = _meta_of("中共嘉兴市委、嘉兴市人民政府: 2020年,海宁市以习近平法治思想为指导,着力建设职能科学、权责法定的"
                 "法治政府,大力营造良好的法治营商环境。现将有关情况报告如下: 一、强化责任落实")
    assert m.report_year == 2020


def test_a_date_line_under_the_title_is_the_report_date():
    m = _meta_of("湖南省农业农村厅2023年法治政府建设年度报告\n湖南省农业农村厅\n(2024年1月31日)\n"
                 "2023年,我厅深入学习贯彻习近平法治思想,扎实推进法治政府建设,取得了一定的成效。\n一、主要举措")
    assert m.published == D(2024, 1, 31) and m.evidence["published"].rule == "date under the title"
    m = _meta_of("陕西省人民政府关于2021年法治政府建设情况的报告\n省政府办公厅 2022-03-15\n"
                 "2021年,省政府坚持以习近平新时代中国特色社会主义思想为指导,扎实推进法治政府建设。\n一、主要举措")
    assert m.published == D(2022, 3, 15)


def test_the_day_a_document_was_generated_is_the_last_of_the_labelled_dates():
    page = ("公文生成日期:2026-01-08\n泉州市丰泽区人民政府关于2025年度法治政府建设工作情况的报告\n时间:2026-01-09 09:36\n"
            "2025年,丰泽区人民政府坚持以习近平新时代中国特色社会主义思想为指导,持续深化法治政府建设。\n一、2025年工作情况")
    assert _meta_of(page).published == D(2026, 1, 9)
    page = ("| 生成日期 | 2026-02-11 11:19:10 | 是否有效 |\n中共老军乡委员会 老军乡人民政府\n关于2025年法治政府建设情况的报告\n"
            "2025年,老军乡坚持以习近平新时代中国特色社会主义思想为指导,全面践行习近平法治思想。\n一、主要举措")
    assert _meta_of(page).published == D(2026, 2, 11)


def test_the_time_a_document_was_issued_is_its_publication():
    page = ("索 引 号 640421006/2025-00022 发文时间 2025-02-28\n原州区2024年法治政府建设年度报告\n"
            "2024年,原州区坚持以习近平新时代中国特色社会主义思想为指导,深入学习贯彻习近平法治思想。\n一、主要举措")
    assert _meta_of(page).published == D(2025, 2, 28)
