"""Who reported, on pages written to show each class of mistake real pages provoke."""

from __future__ import annotations

import pytest

import lawreports
from lawreports.divisions import gazetteer, townships
from lawreports.hosts import host_places


def meta_of(page: str, url: str | None = None):
    return lawreports.read_report(text=page, url=url).meta


def test_a_town_is_placed_by_the_township_table_and_the_page():
    # 周庄镇: five towns of that name; the page names 昆山 once, so 昆山市's
    m = meta_of("周庄镇人民政府关于2023年度法治政府建设情况的报告\n"
                "2023年,周庄镇在昆山市委、市政府的坚强领导下,全面推进依法行政。现将有关情况报告如下:\n"
                "一、主要举措和成效\n全镇调解纠纷86件。\n周庄镇人民政府\n2024年2月1日")
    assert (m.jurisdiction, m.division_type, m.tier) == ("周庄镇", "town", "township")
    assert (m.province, m.prefecture, m.county) == ("江苏省", "苏州市", "昆山市")
    assert m.township_code == "320583112" and m.township_code_system == "mca"
    assert m.parent_adcode == "320583"
    assert len(m.place_candidates) == 5 and m.place_candidates[0][0].startswith("周庄镇 320583112")


def test_a_town_written_without_its_doubled_suffix():
    # the table writes 乌镇镇; pages write 乌镇 (and a 乌镇 of 佳县 exists): 桐乡 decides
    m = meta_of("乌镇2022年法治政府建设工作报告\n2022年,乌镇在桐乡市委、市政府领导下,深入推进法治建设。\n"
                "一、工作成效\n全镇办理行政许可120件。")
    assert (m.jurisdiction, m.province, m.prefecture, m.county) == ("乌镇", "浙江省", "嘉兴市", "桐乡市")


def test_namesakes_the_page_cannot_decide_are_left_blank():
    m = meta_of("城关镇2022年法治政府建设情况报告\n2022年,城关镇坚持依法行政,全镇法治建设取得新成效。\n"
                "一、主要举措\n全镇调解纠纷30件。")
    assert m.jurisdiction == "城关镇" and m.division_type == "town"
    assert m.province is None and m.prefecture is None and m.county is None
    assert "ambiguous_place" in m.warnings
    assert len(m.place_candidates) == 82                 # every 城关镇 of the table, kept as evidence
    assert len(townships().lookup("城关镇")) == 82


def test_the_page_address_places_a_namesake():
    page = ("三都镇2025年法治政府建设年度报告\n2025年,三都镇坚持以习近平法治思想为指导,全镇法治建设取得新成效。\n"
            "一、主要举措\n全镇调解纠纷30件。")
    assert meta_of(page).province is None                        # the page alone cannot tell
    m = meta_of(page, url="http://www.liujiang.gov.cn/dwxxgkpt/gzxxgk/sdz/1.html")
    assert (m.province, m.prefecture, m.county) == ("广西壮族自治区", "柳州市", "柳江区")
    assert [x.division.name for x in host_places("http://cqfj.gov.cn/zwgk/1.html")] == ["奉节县"]


def test_a_title_without_its_place_takes_the_body_and_self_references():
    m = meta_of("省人民政府关于2020年度推进法治政府建设情况的报告\n"
                "2020年是湖北历史上极不平凡的一年。省政府坚持以习近平法治思想为指导,全省法治政府建设取得新成效。"
                "现将有关情况报告如下。\n一、主要举措和成效\n省政府常务会议学法12次。")
    assert (m.jurisdiction, m.division_type, m.province, m.prefecture) == ("湖北省", "province", "湖北省", None)


def test_a_county_name_inside_a_word_is_not_a_place():
    # 法治政府建设示范县 is not 范县 (河南 濮阳); the page is 华容县's
    m = meta_of("华容县人民政府关于2022年法治政府建设情况的报告\n"
                "2022年,我县成功创建省级法治政府建设示范县,全县法治政府建设取得新成效。\n"
                "一、主要举措\n全县办结行政复议案件21件。")
    assert (m.jurisdiction, m.province, m.prefecture) == ("华容县", "湖南省", "岳阳市")
    from lawreports.places import _mentions
    assert [k for _, _, k, _ in _mentions("创建法治政府建设示范县")] == []
    assert [k for _, _, k, _ in _mentions("河南省范县人民政府")] == ["河南省", "范县"]


def test_a_county_level_city_is_not_collapsed_into_its_prefecture():
    m = meta_of("苏州市昆山市人民政府关于2023年度法治政府建设情况的报告\n"
                "2023年,在苏州市委、市政府的坚强领导下,我市全面推进依法治市。\n一、主要举措\n全市办理复议案件40件。")
    assert (m.jurisdiction, m.division_type, m.prefecture, m.county) == ("昆山市", "county_city", "苏州市", "昆山市")


@pytest.mark.parametrize("body, place", [("滨州市人民政府办公室", "滨州市"), ("嘉兴市生态环境局", "嘉兴市"),
                                         ("武清区教育局", "武清区")])
def test_a_department_is_a_department_of_its_place(body, place):
    m = meta_of(f"{body}关于2023年度法治政府建设情况的报告\n2023年,我局深入推进依法行政。\n一、主要举措\n"
                f"全年办理行政许可120件。\n{body}\n2024年1月20日")
    assert (m.jurisdiction, m.division_type, m.body) == (place, "department", body)


def test_a_government_is_not_a_department():
    m = meta_of("滨州市人民政府关于2023年度法治政府建设情况的报告\n2023年,市政府深入推进依法行政。\n"
                "一、主要举措\n全市办理行政复议案件120件。")
    assert (m.jurisdiction, m.division_type) == ("滨州市", "city")


@pytest.mark.parametrize("title, name, prefecture", [
    ("苏州工业园区管理委员会2023年度法治政府建设情况报告", "苏州工业园区", "苏州市"),
    ("曲靖经济技术开发区管理委员会关于2022年法治政府建设情况的报告", "曲靖经济技术开发区", "曲靖市"),
])
def test_a_zone_keeps_its_full_name_and_its_government(title, name, prefecture):
    m = meta_of(f"{title}\n2023年,园区坚持依法行政,法治建设取得新成效。\n一、主要举措\n办理行政许可120件。")
    assert (m.jurisdiction, m.division_type, m.prefecture) == (name, "zone", prefecture)
    assert m.tier == "prefecture"


def test_a_generic_zone_name_takes_its_governments_place():
    m = meta_of("经济技术开发区管理委员会关于2022年法治政府建设情况报告\n"
                "2022年,在曲靖市委、市政府的坚强领导下,开发区深入推进依法行政。\n一、主要举措\n办理行政许可120件。")
    assert (m.jurisdiction, m.prefecture) == ("曲靖经济技术开发区", "曲靖市")


def test_a_phrase_ending_in_xinqu_or_a_party_committee_is_not_a_zone():
    m = meta_of("中共武清区委 武清区人民政府关于2023年法治政府建设情况的报告\n"
                "2023年,全区坚持建设法治政府示范新区。\n一、主要举措\n全区办理行政复议案件218件。")
    assert (m.jurisdiction, m.division_type) == ("武清区", "district")


@pytest.mark.parametrize("city", ["北京市", "天津市", "上海市", "重庆市"])
def test_a_municipality_reporting_is_a_province(city):
    m = meta_of(f"{city}人民政府关于2023年度法治政府建设情况的报告\n2023年,市政府坚持依法行政。\n"
                "一、主要举措\n全市办理行政复议案件2000件。")
    assert (m.jurisdiction, m.division_type, m.tier, m.province, m.prefecture) == (
        city, "province", "province", city, None)


def test_a_former_county_name_resolves_to_the_current_division():
    # 蓟县 became 蓟州区 in 2016; a 2015 report keeps the name as written
    m = meta_of("蓟县人民政府关于2015年度法治政府建设情况的报告\n2015年,我县深入推进依法行政。\n"
                "一、主要举措\n全县办理行政复议案件12件。")
    assert (m.jurisdiction, m.adcode, m.province, m.county) == ("蓟县", "120119", "天津市", "蓟州区")
    assert gazetteer().lookup("渝北区")[0].name == "两江新区"      # merged in 2025


def test_traditional_characters_and_pinyin_reading_aids():
    m = meta_of("山東省莘(shēn)縣人民政府關於2022年度法治政府建設情況的報告\n"
                "2022年,我縣堅持以習近平法治思想為指導,全縣法治政府建設取得新成效。\n一、主要舉措\n全縣辦理行政復議案件12件。")
    assert (m.jurisdiction, m.province, m.prefecture) == ("莘县", "山东省", "聊城市")


def test_the_level_above_thanked_for_its_leadership_is_not_the_reporter():
    # a town names its county only where it thanks it: the county is not the reporter
    m = meta_of("2022年,在县委、县政府的坚强领导下,我镇深入推进依法行政,全镇法治建设取得新成效。\n"
                "一、主要举措\n全镇调解纠纷30件。\n二、存在的问题\n普法不够深入。")
    assert m.division_type is None and "no_jurisdiction" in m.warnings


def test_province_wide_rankings_do_not_make_a_city_a_province():
    # 全省第一, 全省率先: a county-level city ranks itself in its province; 我市 is what it is
    m = meta_of("2023年以来,我市坚持以习近平法治思想为指导,扎实推进法治政府建设,创建全省法治政府示范市。"
                "现将有关情况报告如下:\n一、主要举措和成效\n出台《孝义市重大行政决策程序规定》,行政复议案件"
                "办结率全省第一,全省率先推行包容审慎监管,全省首批通过验收。\n落实《法治孝义建设规划》。",
                url="http://www.xiaoyi.gov.cn/xxgk/ndbg/202403/t20240313_1.shtml")
    assert (m.jurisdiction, m.division_type, m.province, m.prefecture) == ("孝义市", "county_city", "山西省", "吕梁市")


def test_a_department_named_by_its_level_takes_the_city_the_page_names():
    m = meta_of("2023年,市市场监管局在市委市政府的坚强领导下,深入学习贯彻习近平法治思想,紧紧围绕法治政府建设"
                "工作要点和任务清单,在持续提升依法行政效能等方面取得了新成效。\n"
                "--成功创建国家食品安全示范城市,全省率先实现示范县“满堂红”。\n"
                "--《绍兴市电梯安全管理规定》正式施行,绍兴直播电商监管模式获评最佳实践案例。\n"
                "一、法治政府建设水平持续提升\n为我市成功入围示范创建城市贡献力量。")
    assert (m.body, m.jurisdiction, m.division_type) == ("市市场监管局", "绍兴市", "department")
    assert (m.province, m.prefecture) == ("浙江省", "绍兴市")


def test_a_department_on_its_government_site_takes_the_government_place():
    # 我局 on 武隆区's site (cqwl.gov.cn): a department of 武隆区, though the page never says so
    m = meta_of("根据年度工作要点要求,我局结合工作实际,现将2022年法治政府建设工作情况报告如下:\n"
                "一、工作开展情况\n我局成立了法治政府建设领导小组,我局全年办理行政许可12件。",
                url="http://cqwl.gov.cn/bmjz_sites/bm/kjj/zfxxgkml/fzzfndbg/202302/t20230213_1.html")
    assert (m.jurisdiction, m.division_type, m.province, m.prefecture, m.county) == \
        ("武隆区", "department", "重庆市", "重庆市", "武隆区")


def test_an_autonomous_county_by_the_name_pages_give_it():
    # 金平县 for 金平苗族瑶族傣族自治县; its site hhjp.gov.cn: 红河 + 金平
    g = gazetteer()
    assert g.official["金平县"] == "金平苗族瑶族傣族自治县" and g.official["长阳县"] == "长阳土家族自治县"
    assert [x.division.name for x in host_places("https://www.hhjp.gov.cn/info/1.htm")] == ["金平苗族瑶族傣族自治县"]
    m = meta_of("中共红河州委、红河州人民政府:\n2025年,县委、县政府坚持以习近平法治思想为指导,扎实推进法治政府建设。\n"
                "一、主要做法和成效\n县政府常务会议专题学法4次,县政府法律顾问审查合同36件。县委、县政府高度重视,印发《金平县党政主要负责人履行推进法治建设第一责任人职责实施办法》"
                "《金平县领导干部应知应会法律法规清单》。")
    assert (m.jurisdiction, m.division_type, m.province, m.prefecture) == \
        ("金平苗族瑶族傣族自治县", "county", "云南省", "红河哈尼族彝族自治州")


def test_a_rare_character_of_the_township_table_is_matched_by_a_common_one():
    # the ministry writes 下𱳪镇 (a character outside the common block); pages write 下太镇
    assert [t.code for t in townships().lookup("下太镇")] == ["441881120"]
    m = meta_of("2022年,我镇坚持以习近平法治思想为指导,积极开展依法行政工作,推进法治政府建设,为我镇经济社会"
                "发展提供坚强有力的法治保障。现就我镇2022年度法治政府建设情况报告如下:\n"
                "一、推进法治政府建设的主要举措和成效\n把习近平法治思想列入下太镇委党校培训课程,"
                "让党的二十大精神在下太镇落地生根。")
    assert (m.jurisdiction, m.division_type, m.province, m.prefecture, m.county) == \
        ("下太镇", "town", "广东省", "清远市", "英德市")
    assert m.report_year == 2022


def test_a_town_whose_name_ends_in_its_suffix_keeps_it():
    # 房镇镇 of 张店区: the longest name the table knows, not 房镇 and a 镇委员会 department
    m = meta_of("中共张店区房镇镇委员会关于2024年度法治政府建设情况报告\n为深入贯彻落实法治政府建设实施纲要,"
                "房镇镇扎实推进法治政府建设各项工作。现将2024年度法治政府建设情况报告如下:\n一、主要举措\n全镇调解纠纷30件。")
    assert (m.jurisdiction, m.division_type, m.county) == ("房镇镇", "town", "张店区")


def test_an_autonomous_region_calls_itself_the_region():
    # 全区, 自治区党委: 区 is how 内蒙古自治区 speaks of itself, not a district's word only
    m = meta_of("2016年,內蒙古自治區法治政府建設工作在自治區黨委、政府的領導下,全面推進依法行政,各級政府真抓實幹,"
                "全區法治政府建設工作取得了長足進步。\n一、統籌規劃,法治政府建設整體推進\n自治區黨委、政府高度重視"
                "法治政府建設,自覺把建設法治政府擺在全區工作全局的重要位置,全區各級政府常務會議學法。")
    assert (m.jurisdiction, m.division_type, m.province) == ("内蒙古自治区", "province", "内蒙古自治区")


def test_an_opening_subject_of_two_organs():
    # 黄石街党工委、办事处高举…: the subdistrict named before its two organs
    m = meta_of("2022年,在区委、区政府的正确领导下,黄石街党工委、办事处高举习近平法治思想旗帜,充分发挥法治在国家治理"
                "中的保障作用,全面推进法治政府建设工作。现将2022年法治政府建设工作报告如下:\n"
                "一、主要举措和成效\n充分发挥街党工委在推进法治建设工作中的核心地位,白云区普法责任清单逐项落实。")
    assert (m.jurisdiction, m.division_type, m.prefecture, m.county) == ("黄石街", "subdistrict", "广州市", "白云区")


def test_a_report_of_two_bodies_is_the_government_zone_of_its_district():
    # 中共…工作委员会 …管理委员会关于: the party's and the government's; 荣昌区 + 新区: the district's zone
    m = meta_of("中共重庆市荣昌区新区建设工作委员会 重庆市荣昌区新区建设管理委员会关于2021年度法治政府建设情况的报告\n"
                "区委、区政府:\n2021年,新区坚持以习近平法治思想为指导,全面推进依法行政,法治政府建设取得新成效。现将有关情况报告如下:\n"
                "一、主要举措和成效\n全年审查合同12件。")
    assert (m.division_type, m.province, m.prefecture, m.county) == ("zone", "重庆市", "重庆市", "荣昌区")
    assert m.jurisdiction == "荣昌区新区"                   # as the title writes it


def test_a_zone_by_its_generic_name_takes_the_place_the_body_puts_before_it():
    m = meta_of("经济开发区2024年度法治政府建设情况报告\n2024年宁河经济开发区在区委、区政府的正确领导下,坚持以习近平法治思想"
                "为指导,扎实推进法治政府建设各项工作。现将2024年法治政府建设情况报告如下:\n一、主要举措\n"
                "2024年经济开发区进行机构体制改革,原管委会职能转由天津市经开实业有限公司承担。")
    assert (m.jurisdiction, m.division_type, m.province, m.county) == ("宁河经济开发区", "zone", "天津市", "宁河区")


def test_a_zone_on_its_government_site_is_placed_in_that_government():
    page = ("东疆综合保税区2025年度法治政府建设情况报告\n2025年,东疆综保区深入贯彻习近平法治思想,全面落实市、区关于法治政府"
            "建设的决策部署,以高水平法治保障高质量发展。现将年度工作情况报告如下:\n一、主要举措和成效\n全年审查合同12件。")
    assert meta_of(page).province is None
    m = meta_of(page, url="https://www.tjbh.gov.cn/dj/contents/10881/297495.html")
    assert (m.jurisdiction, m.division_type, m.province, m.county) == ("东疆综合保税区", "zone", "天津市", "滨海新区")


def test_a_subdistrict_its_county_site_spells_in_the_address():
    # 街道按照…, on 奉节县's site under /yfjd/: 鱼复街道's initials
    page = ("为进一步加强法治政府建设,2021年来,街道按照《奉节县法治政府建设实施方案》的要求,全力推进法治化政府建设,"
            "奋力谱写鱼复法治建设新篇章。现将2021年工作情况报告如下。\n一、主要举措和成效\n街道建立重大法治案件事前介入机制。")
    m = meta_of(page, url="http://cqfj.gov.cn/xz_168/yfjd/zwgk_60938/zfxxgk/fzjsnd/202203/t20220331_1.html")
    assert (m.jurisdiction, m.division_type, m.county, m.township_code) == ("鱼复街道", "subdistrict", "奉节县", "500236002")
    assert "spells it (initials)" in m.evidence["jurisdiction"].text


def test_a_township_of_the_county_site_the_page_names_by_its_stem():
    page = ("2024年,得益于县委、县政府的坚强领导,我乡积极作为,坚定遵循习近平法治思想,致力于法治政府的深入构建。"
            "现将我乡2024年度法治政府建设的具体情况汇报如下:\n一、主要举措和成效\n我乡明确党政主要领导为第一责任人,"
            "明确法治舒桥建设的重点任务与目标,我乡调解纠纷30件。")
    assert meta_of(page).jurisdiction is None                          # the page alone names no place
    m = meta_of(page, url="http://www.qingtian.gov.cn/art/2025/2/8/art_1229392920_506294.html")
    assert (m.jurisdiction, m.division_type, m.province, m.prefecture, m.county) == \
        ("舒桥乡", "township", "浙江省", "丽水市", "青田县")


def test_a_township_since_made_a_town_is_found_by_its_stem_and_the_page_suffix():
    # fl.gov.cn (initials of several counties) and /dmx/ (大木乡): only 涪陵区 has a 大木 township (大木镇 now)
    page = ("一、工作开展情况\n(一)深入学习法治思想,推进法治政府建设\n乡党委坚持将学习习近平法治思想列入学习计划,"
            "及时组织全乡干部职工进行系统学习和培训,增强全乡干部职工尊法学法守法用法的思想自觉。")
    m = meta_of(page, url="http://fl.gov.cn/jz/dmx/zwgk_47234/zfxxgkml/202301/t20230111_1.html")
    assert (m.jurisdiction, m.division_type, m.province, m.county) == ("大木乡", "township", "重庆市", "涪陵区")


def test_namesakes_by_the_current_name_the_mainland_and_the_host():
    # 新市区: 乌鲁木齐's now, 保定's until 2015 (竞秀区), and one in 台湾's table: 乌鲁木齐's
    m = meta_of("高新区(新市区)人民政府2024年法治政府建设工作报告\n2024年,在区委的坚强领导下,区人民政府坚持以习近平法治思想"
                "为指导,深入推进法治政府建设,为全区经济社会高质量发展提供了坚实法治保障。\n一、主要举措\n区政府常务会议学法6次。")
    assert (m.jurisdiction, m.province, m.prefecture) == ("新市区", "新疆维吾尔自治区", "乌鲁木齐市")
    # 春江街道 of 常州 and of 杭州: cznd.gov.cn begins with 常州's initials
    page = ("2025年度,在区委、区政府的正确领导下,春江街道坚持将法治工作置于街道经济社会发展大局,把法治政府建设作为贯穿"
            "政府工作的主线。现将具体情况报告如下:\n一、2025年度推进法治政府建设主要措施和成效\n街道调解纠纷30件。")
    assert meta_of(page).prefecture is None
    m = meta_of(page, url="https://www.cznd.gov.cn/html/cznd/2026/ADFIMKLB_0108/22474.html")
    assert (m.jurisdiction, m.prefecture, m.county) == ("春江街道", "常州市", "新北区")


def test_the_path_of_the_address_spells_the_reporter():
    page = ("2023年,园区坚持以习近平法治思想为指导,紧扣园区发展主题,全力推进依法行政,加快建设法治政府。\n"
            "一、学深悟透把牢方向,推进法治政府建设高质量发展\n坚持以习近平法治思想领航园区法治建设,园区审查合同120件。")
    m = meta_of(page, url="http://ywtk.sipac.gov.cn/szgyyq/fzjs/202403/1d22567c.shtml")
    assert (m.jurisdiction, m.division_type, m.prefecture) == ("苏州工业园区", "zone", "苏州市")
    assert m.evidence["jurisdiction"].rule == "url path"


def test_a_city_citing_its_province_government_is_the_city():
    # 我市, with 省政府第3号令 cited and 省政府 addressed: the province is the level above, on a county's site
    page = ("省政府、市委、市人大:\n2018年,我市落实法治政府建设工作紧紧围绕市委、市政府中心工作,以《黑龙江省法治政府建设"
            "实施方案》为统领,各项工作都取得了较大进展。\n一、依法全面履行政府职能\n我市牢固树立新发展理念,落实《黑龙江省"
            "行政执法公示办法》(省政府第3号令)和省政府20号令,我市全年审查规范性文件12件。")
    m = meta_of(page, url="https://www.suibin.gov.cn/hegang/shizf/201901/d02b53d4.shtml")
    assert (m.jurisdiction, m.division_type, m.province, m.prefecture) == ("鹤岗市", "city", "黑龙江省", "鹤岗市")


def test_a_zone_name_with_a_hyphen_in_the_city_that_runs_it():
    page = ("2024年,广西-东盟经济技术开发区(以下简称“广西-东盟经开区”)深入贯彻落实习近平法治思想,认真落实自治区党委、政府和"
            "市委、市政府决策部署,推进法治政府建设工作取得明显成效。现将2024年度开展法治政府建设情况报告如下:\n"
            "一、主要举措和成效\n全年审查合同36件,为全市唯一入选。")
    m = meta_of(page, url="http://gxdmjkq.nanning.gov.cn/xwzx/yqdt/t6268354.html")
    assert (m.jurisdiction, m.division_type, m.province, m.prefecture) == \
        ("广西-东盟经济技术开发区", "zone", "广西壮族自治区", "南宁市")


def test_a_former_name_placed_by_the_host_among_its_namesakes():
    # 区司法局 of 江北区 (重庆's, 两江新区 in the table now; 宁波 has one too): cqjb.gov.cn begins with 重庆's initials
    page = ("2021年,区司法局在区委、区政府的领导下,认真贯彻落实党中央、国务院决策部署,围绕《2021年江北区法治政府建设"
            "工作要点》,扎实推进各项工作任务。\n一、推动依法治区工作全面提升\n确保党中央决策部署在我区落地落实,"
            "先后承办江北区全面依法治区工作会议。")
    assert meta_of(page).province is None
    m = meta_of(page, url="http://www.cqjb.gov.cn/bm/qsfj_71919/zwgk_73798/fzzfjsndbg/202202/t20220211_1.html")
    assert (m.body, m.jurisdiction, m.division_type, m.province, m.prefecture) == \
        ("区司法局", "江北区", "department", "重庆市", "重庆市")


def test_a_department_named_bare_on_its_government_site():
    page = ("县委、县政府:\n2024年以来,教育局坚持以习近平法治思想为指引,扎实推进法治政府建设相关工作,持续提升依法行政、依法治教、"
            "依法治校水平,取得了新进展、新成效。\n一、2024年度推进法治政府建设的主要举措和成效\n全县教育系统认真学习法治思想,"
            "县政府教育督导室督导学校40所。")
    m = meta_of(page, url="https://www.jianhu.gov.cn/art/2025/3/10/art_32121_4299645.html")
    assert (m.body, m.jurisdiction, m.division_type, m.prefecture) == ("教育局", "建湖县", "department", "盐城市")


def test_a_department_by_its_level_on_its_government_site():
    # 区司法局 on rongchang.gov.cn, a page that names no district: 荣昌区's department
    page = ("2024年,区司法局在区委、区政府的正确领导下,坚持以习近平法治思想为指导,认真落实市委、区委各项工作部署,"
            "扎实履行司法行政职能。\n一、主要举措和成效\n全年审查规范性文件12件,办理行政复议案件30件。")
    m = meta_of(page, url="http://rongchang.gov.cn/bm/qsfj/zwgk_70831/fzzfndbg_216183/202502/t20250226_1.html")
    assert (m.body, m.jurisdiction, m.division_type, m.province) == ("区司法局", "荣昌区", "department", "重庆市")


def test_the_department_that_posted_a_report_is_not_its_reporter():
    page = ("关于2025年法治政府建设情况的报告\n来源:区司法局\n发布时间:2026-02-26\n"
            "2025年是全面完成“十四五”规划目标任务的承上启下之年。一年来,在区委的坚强领导下,我区坚持以习近平法治思想"
            "为指导,全面推进依法行政,我区法治政府建设取得新成效。\n一、主要举措和成效\n我区审查合同120件。")
    m = meta_of(page, url="http://www.laobian.gov.cn/003/003004/20260226/3c3ed33e.html")
    assert (m.jurisdiction, m.division_type, m.prefecture) == ("老边区", "district", "营口市")


def test_a_zone_named_after_its_county():
    m = meta_of("新荣经济技术开发区2024年法治政府建设年度报告\n2024年,新荣经开区坚持以习近平法治思想为指导,严格依法履职,"
                "全面推进法治建设。现将法治政府建设情况报告如下:\n一、主要工作成效\n落实山西省优化营商环境条例,山西省"
                "行政执法公示制度全面落实。")
    assert (m.jurisdiction, m.division_type, m.province, m.prefecture, m.county) == \
        ("新荣经济技术开发区", "zone", "山西省", "大同市", "新荣区")


def test_an_autonomous_county_by_its_short_autonomous_name():
    m = meta_of("2022年在县委、县政府的坚强领导下,镇宁自治县坚持以习近平法治思想为指导,高质量统筹推进我县法治政府建设"
                "工作取得良好成效。\n一、主要举措和成效\n镇宁自治县获评平安贵州建设示范县,我县审查合同30件。")
    assert (m.jurisdiction, m.division_type, m.prefecture) == ("镇宁布依族苗族自治县", "county", "安顺市")
    assert m.report_year == 2022


def test_an_html_page_gives_its_own_address():
    body = ("<p>2021年,区司法局在区委、区政府的领导下,认真贯彻落实党中央、国务院决策部署,围绕《2021年江北区法治政府"
            "建设工作要点》,扎实推进各项工作任务。</p><p>一、推动依法治区工作全面提升</p><p>确保党中央决策部署在我区落地"
            "落实,先后承办江北区全面依法治区工作会议。</p>")
    saved = ("<!-- saved from url=(0072)http://www.cqjb.gov.cn/bm/qsfj_71919/fzzfjsndbg/202202/t20220211_1.html -->\n"
             "<html><head><title>法治政府建设年度报告</title></head><body>" + body + "</body></html>")
    canonical = ('<html><head><link rel="canonical" href="http://www.cqjb.gov.cn/bm/qsfj_71919/t1.html">'
                 "</head><body>" + body + "</body></html>")
    for page in (saved, canonical):
        report = lawreports.read_report(page.encode("utf-8"), name="page.html")
        assert report.url.startswith("http://www.cqjb.gov.cn/") and "url_from_page" in report.warnings
        assert (report.meta.jurisdiction, report.meta.province) == ("江北区", "重庆市")
    assert lawreports.read_report(canonical.encode("utf-8"), name="page.html", url="http://example.org/a").url \
        == "http://example.org/a"                                 # an address given by the user comes first


def test_a_zone_named_like_a_county_elsewhere_is_not_placed_there():
    # 滨海湾新区 of 东莞: 滨海 is also 盐城's 滨海县; the page names no province, so no guess
    m = meta_of("2024年,在市委、市政府的坚强领导下,滨海湾新区(以下简称“新区”)始终坚持以习近平法治思想为指导,"
                "在法治轨道上加快推动新区高质量发展。现将有关情况报告如下:\n一、2024年法治政府建设工作情况\n新区审查合同30件。")
    assert (m.jurisdiction, m.division_type) == ("滨海湾新区", "zone")
    assert m.province is None and m.prefecture is None


def test_a_zone_by_its_short_form_under_a_municipality():
    # 东疆综保区: the one unambiguous short form (综合保税区), in 天津市, the prefecture of what lies in it
    m = meta_of("2024年,在市委、市政府和区委、区政府的正确领导下,东疆综保区坚持以习近平法治思想为指导,严格落实《天津市法治"
                "政府建设实施纲要(2021-2025)》有关要求,充分发挥法治保障作用。现将有关情况报告如下:\n"
                "一、主要举措和成效\n东疆党委深入学习习近平法治思想,审查合同30件。")
    assert (m.jurisdiction, m.division_type, m.province, m.prefecture) == ("东疆综合保税区", "zone", "天津市", "天津市")


def test_a_new_area_the_ministry_did_not_list_in_the_report_year_is_a_zone():
    # 两江新区: in the current table among Chongqing's districts, in none of the ministry's up to 2024
    page = ("{year}年,两江新区坚持以习近平法治思想为指导,紧紧围绕《重庆市法治政府建设实施方案》的安排部署,统筹推进"
            "新区法治政府建设各项目标任务。\n一、推进法治政府建设的主要举措和成效\n新区审查合同30件。")
    m = meta_of(page.format(year=2023))
    assert (m.jurisdiction, m.division_type, m.province, m.prefecture) == ("两江新区", "zone", "重庆市", "重庆市")
    assert meta_of(page.format(year=2025)).division_type == "district"


def test_a_zone_after_its_district_takes_the_name_the_page_gives_it():
    page = ("发布机构 荣昌新区建设管委会\n中共重庆市荣昌区新区建设工作委员会 重庆市荣昌区新区建设管理委员会关于2021年度法治政府建设"
            "情况的报告\n区委、区政府:\n2021年,新区坚持以习近平法治思想为指导,全面推进依法行政,法治政府建设取得新成效。"
            "现将有关情况报告如下:\n一、主要举措和成效\n全年审查合同12件。")
    assert meta_of(page).jurisdiction == "荣昌新区"


def test_a_zone_on_its_city_subdomain_of_two_letters_no_other_city_has():
    page = ("2024年,在市委、市政府的坚强领导下,滨海湾新区(以下简称“新区”)始终坚持以习近平法治思想为指导,"
            "在法治轨道上加快推动新区高质量发展。现将有关情况报告如下:\n一、2024年法治政府建设工作情况\n新区审查合同30件。")
    m = meta_of(page, url="http://bhwxq.dg.gov.cn/gkmlpt/content/4/4331/post_4331833.html")
    assert (m.jurisdiction, m.province, m.prefecture) == ("滨海湾新区", "广东省", "东莞市")
    # sz: 深圳, 苏州, 随州, 朔州 and 宿州 share the letters: no place from them
    assert host_places("https://www.sz.gov.cn/cn/xxgk/1.html") == []
