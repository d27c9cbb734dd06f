"""The divisions a person may choose (GB/T 2260 in force) and the city/county fit."""

import pytest

from beian.rules import areas


def names(pairs) -> list[str]:
    return [name for _, name in pairs]


def test_suzhou_and_nanjing_list_only_the_districts_in_force():
    suzhou = names(areas.counties("320500"))
    assert "姑苏区" in suzhou and "吴江区" in suzhou
    for gone in ("平江区", "金阊区", "沧浪区", "苏州工业园区", "吴县"):
        assert gone not in suzhou, gone
    nanjing = names(areas.counties("320100"))
    assert "秦淮区" in nanjing and "白下区" not in nanjing and "下关区" not in nanjing


def test_no_city_lists_a_name_twice_and_none_lists_a_grouping_row():
    for province, _ in [(c[:2] + "0000", None) for c in areas.divisions() if c.endswith("0000")]:
        cities = areas.cities(province)
        assert len(names(cities)) == len(set(names(cities))), province
        for city, _name in cities:
            counties = names(areas.counties(city))
            assert len(counties) == len(set(counties)), city
            assert "市辖区" not in counties and "县" not in counties, city


def test_changes_after_2019_are_in():
    assert "临平区" in names(areas.counties("330100"))
    assert "下城区" not in names(areas.counties("330100"))
    assert "米林市" in names(areas.counties("540400"))
    assert "白杨市" in names(areas.counties("659000"))
    assert {"和康县", "和安县"} <= set(names(areas.counties("653200")))  # 2024


def test_a_municipality_has_one_city_holding_its_districts_and_counties():
    assert areas.cities("110000") == [("110100", "北京市")]
    assert "海淀区" in names(areas.counties("110100"))
    chongqing = names(areas.counties("500100"))
    assert "渝中区" in chongqing and "城口县" in chongqing and len(chongqing) == 38


def test_a_city_without_districts_has_no_counties():
    assert ("441900", "东莞市") in areas.cities("440000")
    assert areas.counties("441900") == []


def test_place_problem():
    assert areas.place_problem("320000", "320500", "320508") is None
    assert areas.place_problem("320000", "320500", "320102") == (
        "county",
        "subject_county_not_in_city",
        {"city": "苏州市"},
    )
    assert areas.place_problem("320000", "320500", "320503")[1] == "subject_county_not_in_city"
    assert areas.place_problem("320000", "440100", "")[1] == "subject_city_not_in_province"
    assert areas.place_problem("320000", "", "320508")[1] == "subject_county_needs_city"
    assert areas.place_problem("320000", "320500", "") is None
    assert areas.place_problem("320000", "320500", "", complete=True)[1] == (
        "subject_county_required"
    )
    assert areas.place_problem("440000", "441900", "", complete=True) is None


def test_resident_ids_still_read_abolished_codes():
    assert areas.full_name("320503") == "江苏省苏州市平江区"


@pytest.mark.django_db
def test_the_api_lists_a_province_s_cities_and_counties(client):
    cities = client.get("/api/v1/checks/provinces/苏/cities").json()
    suzhou = next(c for c in cities if c["code"] == "320500")
    assert suzhou["name"] == "苏州市"
    assert {"code": "320508", "name": "姑苏区"} in suzhou["counties"]
    assert "平江区" not in [c["name"] for c in suzhou["counties"]]
    unknown = client.get("/api/v1/checks/provinces/香港/cities")
    assert unknown.status_code == 400 and unknown.json()["code"] == "province_unknown"
