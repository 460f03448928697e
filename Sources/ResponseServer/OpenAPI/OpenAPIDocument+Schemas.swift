import HTTPTypes
import Foundation
import ResponseCore
import ResponseStore

/// The schemas of the document: one declarative table of every request and response body.
extension OpenAPIDocument {
    static var schemas: [String: Any] {
        let time = string(format: "date-time")
        let rate: [String: Any] = ["type": ["number", "null"], "minimum": 0, "maximum": 1, "description": "fraction; null = insufficient data"]
        let article = object([
            "id": string(), "title": string(), "body": string(), "categories": array(string()), "validUntil": nullable(time),
            "valid": ["type": "boolean"], "uses": ["type": "integer", "description": "consultations answered with it"],
            "updatedAt": time, "updatedBy": string(), "score": ["type": ["number", "null"], "description": "search relevance (BM25)"],
        ])
        let named = object(["code": string(), "name": nullable(string()), "confidence": ["type": ["number", "null"]]])
        let topicFields: [String: Any] = [
            "month": string("yyyy-MM"), "title": string(), "leadUnit": string("unit code"), "status": string(enum: Topic.Status.allCases.map(\.rawValue)),
            "problems": array(object([
                "title": string(), "categories": array(string()), "districts": array(string()), "words": array(string("all must appear in the text")),
            ], required: ["title"])),
            "tasks": array(object(["title": string(), "unit": nullable(string()), "due": nullable(time), "done": ["type": "boolean"], "note": nullable(string())], required: ["title", "done"])),
            "outcome": nullable(string()),
        ]
        let topicInput = object(topicFields.merging(["version": ["type": "integer", "description": "required to change a topic"]]) { a, _ in a },
                                required: ["month", "title", "leadUnit", "problems"])
        let topic = object(topicFields.merging([
            "id": string(), "tenantID": string(), "updatedAt": time, "updatedBy": string(), "version": ["type": "integer"],
        ]) { a, _ in a })
        let dayRange = object(["from": string("first day, yyyy-MM-dd"), "to": string("day after the last, yyyy-MM-dd")])
        let alert = object([
            "id": string(), "tenantID": string(), "category": string(), "categoryName": nullable(string()),
            "district": string("empty: the whole city"), "districtName": nullable(string()), "windowMinutes": ["type": "integer"],
            "onset": time, "detectedAt": time, "observed": ["type": "integer"], "expected": ["type": "number"],
            "probability": ["type": "number", "description": "Poisson tail probability of the count"],
            "status": string(enum: SpikeAlert.Status.allCases.map(\.rawValue)), "acknowledgedBy": nullable(string()), "updatedAt": time,
        ])
        let volume = object([
            "days": array(string(format: "date")),
            "series": array(object(["code": nullable(string("first-level category")), "name": string(), "total": ["type": "integer"], "counts": array(["type": "integer"])])),
        ])
        let location = object([
            "latitude": ["type": ["number", "null"], "minimum": -90, "maximum": 90],
            "longitude": ["type": ["number", "null"], "minimum": -180, "maximum": 180],
            "address": nullable(string()), "districtCode": nullable(string()), "streetCode": nullable(string()),
        ])
        let complainant = object([
            "name": nullable(string()), "phone": nullable(string("masked (138****5678) for roles that do not call back")),
            "email": nullable(string()), "anonymous": ["type": "boolean"],
        ], required: ["anonymous"])
        let evaluation = object([
            "contacted": ["type": ["boolean", "null"]], "resolved": ["type": "boolean"],
            "satisfaction": string(enum: Evaluation.Satisfaction.allCases.map(\.rawValue)), "comment": nullable(string()),
        ], required: ["resolved", "satisfaction"])
        let event = object([
            "sequence": ["type": "integer"], "ticketID": string(), "tenantID": string(),
            "type": string(enum: EventType.allCases.map(\.rawValue)), "at": time,
            "actor": object(["name": string(), "role": string(enum: Role.allCases.map(\.rawValue)), "unitCode": nullable(string())]),
            "fromStatus": nullable(string(enum: TicketStatus.allCases.map(\.rawValue))),
            "toStatus": string(enum: TicketStatus.allCases.map(\.rawValue)),
            "payload": ["type": "object", "additionalProperties": ["type": "string"]],
        ])
        let ticket = object([
            "id": string(), "tenantID": string(), "number": string("public tracking number, yyyyMMdd-NNNNNN"),
            "kind": string(enum: TicketKind.allCases.map(\.rawValue)), "channel": string(enum: Channel.allCases.map(\.rawValue)),
            "title": string(), "description": string(), "categoryCode": nullable(string()),
            "urgency": string(enum: Urgency.allCases.map(\.rawValue)), "location": location, "complainant": complainant,
            "leadUnit": nullable(string()), "coUnits": array(string()),
            "status": string(enum: TicketStatus.allCases.map(\.rawValue)),
            "deadlines": object(["accept": nullable(time), "firstContact": nullable(time), "resolution": nullable(time), "returnWindow": nullable(time)]),
            "mergedInto": nullable(string()), "reply": nullable(string()), "replyResolved": ["type": ["boolean", "null"]],
            "evaluation": ["oneOf": [evaluation, ["type": "null"]]],
            "reopenCount": ["type": "integer"], "returnCount": ["type": "integer"],
            "disputes": ["type": "integer", "description": "rejected returns of the current lead unit; the next return goes to arbitration"],
            "duplicates": array(string("tickets merged into this one (single ticket only)")),
            "reports": ["type": "integer", "description": "1 + duplicates: how many people reported this problem"],
            "createdAt": time, "updatedAt": time, "closedAt": nullable(time), "version": ["type": "integer"],
            "overdue": ["type": "boolean"], "allowedActions": array(string()), "timeline": array(ref("TicketEvent")),
            "oversight": object([
                "marks": ["type": "object", "additionalProperties": time, "description": "sweeper steps taken, with the deadline each acted on"],
                "assignedAt": nullable(time), "firstContactDone": ["type": "boolean"],
                "extensionRequest": ["type": ["object", "null"], "description": "until, reason, requestedAt, unit"],
                "summons": array(object([
                    "unit": string(), "summonedAt": time, "arriveBy": time, "note": nullable(string()), "acknowledgedAt": nullable(time),
                    "report": nullable(string()), "reportedAt": nullable(time), "rating": ["type": ["integer", "null"]], "lateRecorded": ["type": "boolean"],
                ])),
                "followUp": ["type": ["object", "null"], "description": "since, reason (replied, expired), attempts, lastAttemptAt"],
                "escalatedAt": nullable(time), "nextCheck": nullable(time),
            ]),
        ], required: ["number", "kind", "channel", "title", "status", "version"])
        let unit = object([
            "code": string(), "tenantID": string(), "name": string(), "kind": string(enum: OrgUnit.Kind.allCases.map(\.rawValue)),
            "parentCode": nullable(string()), "population": ["type": ["integer", "null"]], "active": ["type": "boolean"],
        ], required: ["name", "kind"])
        let category = object([
            "code": string(), "tenantID": string(), "name": string(), "level": ["type": "integer", "minimum": 1, "maximum": 3],
            "parentCode": nullable(string()), "active": ["type": "boolean"],
        ], required: ["name", "level"])
        let user = object([
            "username": string(), "displayName": string(), "role": string(enum: Role.loginRoles.map(\.rawValue)),
            "unitCode": nullable(string()), "tenantID": string(), "active": ["type": "boolean"],
        ])
        var recordFields: [String: Any] = [:]
        for column in PublicRecord.columns {
            recordFields[column] = ["latitude", "longitude"].contains(column) ? ["type": ["number", "null"]] as [String: Any] : nullable(string())
        }
        let openDataRecord = object(recordFields)
        let apiKey = object(["id": string(), "name": string(), "role": string(), "createdAt": time, "revokedAt": nullable(time), "key": string("the secret; only in the creation response")])
        return [
            "NewTicket": object([
                "kind": string(enum: TicketKind.allCases.map(\.rawValue)), "channel": string(enum: Channel.allCases.map(\.rawValue)),
                "title": ["type": "string", "maxLength": NewTicket.maxTitle], "description": ["type": "string", "maxLength": NewTicket.maxDescription],
                "categoryCode": string(), "urgency": string(enum: Urgency.allCases.map(\.rawValue)), "location": location, "complainant": complainant,
            ], required: ["kind", "channel", "title", "description"]),
            "Ticket": ticket,
            "TicketEvent": event,
            "TicketList": object(["items": array(ref("Ticket")), "next": string("cursor for the next page; absent on the last")], required: ["items"]),
            "Suggestions": object([
                "categories": array(object(["code": string(), "confidence": ["type": "number"]])),
                "units": array(object(["code": string(), "confidence": ["type": "number"]])),
                "leadUnit": nullable(string()), "coUnits": array(string()), "confidence": ["type": "number"], "automatic": ["type": "boolean"],
                "districtCode": nullable(string()), "streetCode": nullable(string()), "duplicateOf": nullable(string()),
                "similarity": nullable(["type": "number"]), "reasons": ["type": "object", "additionalProperties": ["type": "string"]],
            ]),
            "Unit": unit, "UnitList": array(ref("Unit")),
            "Category": category, "CategoryList": array(ref("Category")),
            "Credentials": object(["username": string(), "password": string(format: "password")], required: ["username", "password"]),
            "Session": object(["token": string(), "tokenType": string(), "expiresAt": time, "user": ref("User")]),
            "Me": object(["name": string(), "role": string(), "unitCode": nullable(string()), "tenantID": string()]),
            "User": user, "UserList": array(ref("User")),
            "NewUser": object([
                "username": string(), "password": string(format: "password"), "role": string(enum: Role.loginRoles.map(\.rawValue)),
                "unitCode": string("required for handlers"), "displayName": string(),
            ], required: ["username", "password", "role"]),
            "APIKey": apiKey, "APIKeyList": array(ref("APIKey")),
            "NewAPIKey": object(["name": string()], required: ["name"]),
            "LoginLock": object(["key": string("user:NAME or address:IP"), "failures": ["type": "integer"], "lastFailureAt": time, "lockedUntil": nullable(time)]),
            "LoginLockList": array(ref("LoginLock")),
            "Liveness": object(["status": string()]),
            "Health": object(["status": string(), "database": string(), "migrations": array(["type": "integer"])]),
            "Empty": ["type": "object"],
            "NotificationList": array(object([
                "id": string(), "number": string(), "eventSequence": ["type": "integer"], "kind": string(enum: ComplainantNotice.Kind.allCases.map(\.rawValue)),
                "channel": string(enum: NotificationRecord.Channel.allCases.map(\.rawValue)), "recipient": nullable(string()), "text": string(),
                "asksForRating": ["type": "boolean"], "status": string(enum: NotificationRecord.Status.allCases.map(\.rawValue)),
                "attempts": ["type": "integer"], "createdAt": time, "sentAt": nullable(time), "error": nullable(string()),
            ])),
            "FollowUpQueue": object([
                "script": object(["greeting": string(), "questions": array(string()), "closing": string()]),
                "items": array(ref("Ticket")), "next": string("cursor for the next page"),
            ], required: ["script", "items"]),
            "FollowUpBody": object([
                "outcome": string(enum: ["rated", "no_answer"]), "contacted": ["type": "boolean"], "resolved": ["type": "boolean"],
                "satisfaction": string(enum: Evaluation.Satisfaction.allCases.map(\.rawValue)), "comment": string(), "note": string("no_answer"),
                "version": ["type": "integer"],
            ], required: ["outcome"]),
            "FollowUpLink": object(["url": string(format: "uri"), "token": string(), "expiresAt": time]),
            "Rating": object([
                "contacted": ["type": "boolean"], "resolved": ["type": "boolean"],
                "satisfaction": string(enum: Evaluation.Satisfaction.allCases.map(\.rawValue)), "comment": string(),
            ], required: ["resolved", "satisfaction"]),
            "PublicFollowUp": object([
                "number": string(), "title": string(), "status": string(enum: TicketStatus.allCases.map(\.rawValue)), "reply": nullable(string()),
                "awaitingRating": ["type": "boolean"], "questions": array(string()), "evaluation": ["oneOf": [evaluation, ["type": "null"]]],
            ]),
            "Assessment": object([
                "tenantID": string(), "period": object(["from": string(), "to": string(), "month": nullable(string())]),
                "previousPeriod": ["type": ["object", "null"]], "settings": ["type": "object"],
                "units": array(object([
                    "unit": string(), "name": string(), "kind": string(enum: OrgUnit.Kind.allCases.map(\.rawValue)),
                    "level": string(enum: AssessmentLevel.allCases.map(\.rawValue)), "population": ["type": ["integer", "null"]],
                    "counts": ["type": "object", "additionalProperties": ["type": "integer"]],
                    "responseRate": rate, "resolutionRate": rate, "satisfactionRate": rate, "onTimeRate": rate, "returnRate": rate, "redoRate": rate,
                    "arrivalRate": rate, "requestsPer10k": ["type": ["number", "null"]], "whistleScore": ["type": ["number", "null"], "description": "1–5, from lead units"],
                    "composite": ["type": ["number", "null"], "description": "0–100; null = insufficient data, not ranked"],
                    "rank": ["type": ["integer", "null"]], "rankedOf": ["type": ["integer", "null"]],
                    "classes": array(string(enum: AssessmentClass.allCases.map(\.rawValue))),
                    "previousComposite": ["type": ["number", "null"]], "change": ["type": ["number", "null"]], "insufficientData": ["type": "boolean"],
                ])),
            ]),
            "AssessmentReplay": object([
                "matchesLive": ["type": "boolean"], "differingUnits": array(string()), "seconds": ["type": "number"], "report": ref("Assessment"),
            ]),
            "SweepResult": object([
                "claimed": ["type": "integer"], "tickets": ["type": "integer"], "events": ["type": "integer"],
                "steps": ["type": "object", "additionalProperties": ["type": "integer"]], "seconds": ["type": "number"],
            ]),
            "Index": ["type": "object", "additionalProperties": ["type": "string"]],
            "Article": article, "ArticleList": array(article),
            "ArticleInput": object([
                "title": string(), "body": string(), "categories": array(string("category code")), "validUntil": nullable(time),
            ], required: ["title", "body"]),
            "Draft": object([
                "kind": string(enum: TicketKind.allCases.map(\.rawValue)), "title": string(), "description": string(),
                "categoryCode": nullable(string()), "location": location,
            ]),
            "Suggestion": object([
                "categories": array(named), "unit": named, "coUnits": array(named), "automatic": ["type": "boolean"],
                "confidence": ["type": "number"], "district": named, "street": named,
                "similar": array(object([
                    "number": string(), "title": string(), "status": string(enum: TicketStatus.allCases.map(\.rawValue)), "createdAt": time,
                    "similarity": ["type": ["number", "null"]], "distanceMetres": ["type": ["number", "null"]],
                ])),
                "articles": array(object(["id": string(), "title": string(), "body": string(), "score": ["type": "number"]])),
            ]),
            "PlaceList": array(object([
                "code": string(), "name": string(), "kind": string(enum: ["district", "street"]), "districtCode": nullable(string()),
                "districtName": nullable(string()), "latitude": ["type": ["number", "null"]], "longitude": ["type": ["number", "null"]],
            ])),
            "GeoJSON": object(["type": string(enum: ["FeatureCollection"]), "level": string(), "features": array(["type": "object"])]),
            "AreaLoadList": array(object([
                "districtCode": nullable(string("null: not yet located")), "name": nullable(string()), "open": ["type": "integer"], "overdue": ["type": "integer"],
            ])),
            "Volume": volume,
            "PublicRequest": object([
                "kind": string(enum: TicketKind.allCases.map(\.rawValue)), "title": string(), "description": string(), "location": location,
                "name": nullable(string()), "phone": nullable(string()), "email": nullable(string()), "anonymous": ["type": "boolean"],
            ], required: ["title"]),
            "Receipt": object(["number": string(), "trackingCode": string("given with the number to track the request"), "status": string(enum: TicketStatus.allCases.map(\.rawValue)),
                               "track": string("the portal's tracking page, code included")]),
            "PublicTicket": object([
                "number": string(), "kind": string(enum: TicketKind.allCases.map(\.rawValue)), "title": string("redacted"),
                "status": string(enum: TicketStatus.allCases.map(\.rawValue)), "category": nullable(string()), "district": nullable(string()),
                "unit": nullable(string()), "createdAt": time, "updatedAt": time, "resolutionDue": nullable(time), "reply": nullable(string("redacted")),
                "mergedInto": nullable(string()),
                "timeline": array(object(["at": time, "type": string(enum: EventType.allCases.map(\.rawValue)), "status": string(enum: TicketStatus.allCases.map(\.rawValue))])),
            ]),
            "OpenDataPage": object(["items": array(openDataRecord), "next": nullable(string("cursor of the next page"))]),
            "Dashboard": object([
                "city": string(), "period": string("yyyy-MM"), "responseRate": rate, "resolutionRate": rate, "satisfactionRate": rate,
                "assigned": ["type": "integer"], "rated": ["type": "integer"], "open": ["type": "integer"], "volume": volume,
            ]),
            "FrequentProblems": object([
                "range": dayRange, "previous": dayRange, "yearEarlier": dayRange, "level": ["type": "integer"], "district": nullable(string()),
                "street": nullable(string()), "total": ["type": "integer"],
                "problems": array(object([
                    "category": string("code at the asked level; empty: no category"), "categoryName": nullable(string()), "district": nullable(string()),
                    "districtName": nullable(string()), "tickets": ["type": "integer"], "share": ["type": "number"], "previous": ["type": "integer"],
                    "yearEarlier": ["type": "integer"], "change": ["type": ["number", "null"]], "yearChange": ["type": ["number", "null"]],
                ])),
            ]),
            "TextClusters": object([
                "range": dayRange, "category": string(), "categoryName": nullable(string()), "tickets": ["type": "integer"],
                "sampled": ["type": "integer", "description": "newest tickets read and grouped (at most 2,000)"],
                "clusters": array(object([
                    "label": string("title of the most typical ticket"), "keywords": array(string()), "tickets": ["type": "integer"],
                    "share": ["type": "number"], "numbers": array(string()),
                ])),
            ]),
            "Hotspots": object([
                "range": dayRange, "level": ["type": "integer"], "radius": ["type": "number"], "minimumTickets": ["type": "integer"], "densityFactor": ["type": "number"],
                "hotspots": array(object([
                    "category": string(), "categoryName": nullable(string()), "tickets": ["type": "integer"], "previous": ["type": "integer"],
                    "growth": ["type": ["number", "null"]], "latitude": ["type": "number"], "longitude": ["type": "number"],
                    "radius": ["type": "number", "description": "metres"], "unit": nullable(string("street office with most of its tickets")),
                    "unitName": nullable(string()), "cells": array(["type": "integer"]), "numbers": array(string()),
                ])),
                "generatedAt": string("when it was computed; a usual view is served as stored for a while", format: "date-time"),
            ]),
            "AccessLog": object([
                "items": array(object([
                    "id": string(), "tenantID": string(), "at": string(format: "date-time"), "actor": string(), "role": string(enum: Role.allCases.map(\.rawValue)),
                    "unit": nullable(string()), "ticket": string("the ticket number; * for a whole export"), "route": string("the face"),
                ])),
            ]),
            "AccessSummary": object([
                "from": string("first day counted, yyyy-MM-dd"), "to": string("day after the last"),
                "lines": array(object([
                    "role": string(enum: Role.allCases.map(\.rawValue)), "route": string("the face"), "records": ["type": "integer"],
                    "people": ["type": "integer"], "tickets": ["type": "integer"],
                ])),
                "topPeople": array(object([
                    "actor": string(), "role": string(enum: Role.allCases.map(\.rawValue)), "unit": nullable(string()),
                    "records": ["type": "integer"], "tickets": ["type": "integer"],
                ])),
            ]),
            "Repeats": object([
                "kind": string(enum: RepeatKind.allCases.map(\.rawValue)), "from": string("first day counted, yyyy-MM-dd"),
                "to": string("day after the last"), "month": nullable(string("yyyy-MM, when asked by month")),
                "items": array(object(["label": string("masked phone, or the address"), "tickets": ["type": "integer"], "lastNumber": string()])),
            ]),
            "Alert": alert,
            "TopicInput": topicInput,
            "Topic": topic,
            "TopicList": object(["items": array(topic)]),
            "TopicDetail": object([
                "topic": topic,
                "volume": object([
                    "months": array(string("yyyy-MM")), "topicMonth": string(),
                    "problems": array(object([
                        "title": string(), "counts": array(["type": "integer"]), "before": ["type": "number"],
                        "after": ["type": ["number", "null"]], "change": ["type": ["number", "null"]],
                        "estimated": ["type": "boolean", "description": "some months scaled from their newest 5,000 tickets (words in a busy month)"],
                    ])),
                ]),
            ]),
            "Brief": object([
                "city": string(), "cityName": string(), "span": string(enum: ["day", "month"]), "period": string("yyyy-MM-dd or yyyy-MM"), "range": dayRange,
                "generatedAt": time, "tickets": ["type": "integer"], "previous": ["type": "integer", "description": "the day or month before"],
                "yearEarlier": ["type": "integer"], "sameDayLastWeek": ["type": ["integer", "null"]], "weekAverage": ["type": ["number", "null"]],
                "problems": array(["type": "object", "description": "as in FrequentProblems"]), "hotspots": array(["type": "object", "description": "as in Hotspots"]),
                "alerts": array(alert), "topics": array(topic),
                "overdue": array(object(["unit": string(), "unitName": nullable(string()), "overdue": ["type": "integer"]])),
            ]),
            "Alerts": object(["range": dayRange, "items": array(alert)]),
            "Problem": object([
                "type": string(format: "uri"), "title": string(), "status": ["type": "integer"], "detail": string(),
                "errors": array(object(["field": string(), "message": string()])),
            ], required: ["type", "title", "status"]),
        ]
    }
}
