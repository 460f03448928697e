"""Drives a SwiftResponse server with the third-party `georeport` client from PyPI.

Usage: python georeport_client.py ROOT_URL API_KEY JURISDICTION
Prints one JSON object with what the client saw in each format; the Swift test checks it.
`georeport` only reads, so filing goes through `requests` (its own dependency) exactly as a
form-posting Open311 app does.
"""
import json
import sys

import requests
from georeport import GeoReport


def as_list(value):
    # xmltodict gives a dict for a single repeated element and a list for several.
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


root, key, jurisdiction = sys.argv[1:4]
report = {}
filed = requests.post(
    f"{root}/requests.json",
    data={
        "api_key": key,
        "jurisdiction_id": jurisdiction,
        "service_code": "01.01.01",
        "lat": "39.91",
        "long": "116.45",
        "attribute[time_of_day]": "night",
        "attribute[sources][]": ["site", "bar"],
        "description": "工地夜间施工 filed by georeport",
        "email": "resident@example.org",
    },
)
filed.raise_for_status()
number = filed.json()[0]["service_request_id"]
report["filed"] = number

for fmt in ("json", "xml"):
    client = GeoReport(root, jurisdiction=jurisdiction, api_key=key, output_format=fmt)
    services = as_list(client.get_service_list())
    definition = client.get_service_definition("01.01.01")
    attributes = as_list((definition.get("attributes") or {}).get("attribute")) if fmt == "xml" else definition["attributes"]
    listed = as_list(client.get_service_requests(status="open", service_code="01.01.01"))
    several = as_list(client.get_service_requests(service_request_id=number))
    one = client.get_service_request(number)
    report[fmt] = {
        "service_codes": [s["service_code"] for s in services],
        "metadata": [str(s["metadata"]).lower() for s in services],
        "attribute_codes": [a["code"] for a in attributes],
        "listed": [r["service_request_id"] for r in listed],
        "by_id": [r["service_request_id"] for r in several],
        "status": one["status"],
        "description": one["description"],
        "agency_responsible": one.get("agency_responsible"),
        "requested_datetime": one["requested_datetime"],
        "has_email": any("resident@example.org" in json.dumps(r, ensure_ascii=False) for r in listed + several + [one]),
    }

print(json.dumps(report, ensure_ascii=False))
