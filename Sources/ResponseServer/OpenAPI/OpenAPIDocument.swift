import HTTPTypes
import Foundation
import ResponseCore
import ResponseStore

/// Builds the OpenAPI 3.1 document from the registered routes and the schemas below. Served at
/// `/api/v1/openapi.json`; a test checks every documented operation against the live router.
enum OpenAPIDocument {
    static func json(routes: [APIRoute]) -> Data {
        var paths: [String: [String: Any]] = [:]
        for route in routes {
            var operation: [String: Any] = [
                "summary": route.summary,
                "description": "Access: \(route.access).",
                "tags": [route.tag],
                "operationId": operationID(route),
            ]
            var parameters: [[String: Any]] = []
            for name in pathParameters(route.path) {
                parameters.append(["name": name, "in": "path", "required": true, "schema": ["type": "string"]])
            }
            for q in route.query {
                parameters.append(["name": q.name, "in": "query", "required": false, "description": q.description, "schema": ["type": q.schemaType]])
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let body = route.requestSchema {
                // An action body without required fields may be left out (accept, urge, close).
                let optional = (ActionRequests.schemas[body] as? [String: Any]).map { $0["required"] == nil } ?? false
                operation["requestBody"] = ["required": !optional, "content": ["application/json": ["schema": ref(body)]]]
            }
            var responses: [String: Any] = [:]
            let success: [String: Any] = route.responseSchema.map { ["description": "Success", "content": ["application/json": ["schema": ref($0)]]] }
                ?? ["description": "Success"]
            responses[String(route.successStatus)] = success
            for code in errorCodes(route) {
                responses[code] = ["$ref": "#/components/responses/Problem\(code)"]
            }
            operation["responses"] = responses
            if !route.access.hasPrefix("public") { operation["security"] = [["bearer": []], ["apiKey": []]] }
            paths[route.path, default: [:]][route.method.rawValue.lowercased()] = operation
        }
        var problemResponses: [String: Any] = [:]
        for (code, text) in [("400", "Malformed request"), ("401", "Not signed in"), ("403", "Role not allowed"), ("404", "Not found"),
                             ("409", "Illegal transition, stale version or conflict"), ("413", "Body too large"), ("422", "Invalid fields")] {
            problemResponses["Problem\(code)"] = ["description": text, "content": ["application/problem+json": ["schema": ref("Problem")]]]
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": [
                "title": "SwiftResponse API",
                "version": "1.0.0",
                "description": "The public-complaint hotline: file, route, work, answer and rate tickets. Errors are RFC 9457 problem+json.",
                "license": ["name": "Apache-2.0", "identifier": "Apache-2.0"],
            ],
            "paths": paths,
            "components": [
                "schemas": schemas.merging(ActionRequests.schemas) { table, _ in table },
                "responses": problemResponses,
                "securitySchemes": [
                    "bearer": ["type": "http", "scheme": "bearer", "description": "token from POST /api/v1/auth/login"],
                    "apiKey": ["type": "apiKey", "in": "header", "name": "X-API-Key"],
                ],
            ],
        ]
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    static func operationID(_ route: APIRoute) -> String {
        let words = route.path.split(separator: "/").dropFirst(2).map { $0.hasPrefix("{") ? "by" + $0.dropFirst().dropLast().capitalized : $0.replacingOccurrences(of: "-", with: "").capitalized }
        return route.method.rawValue.lowercased() + words.joined()
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }

    static func errorCodes(_ route: APIRoute) -> [String] {
        var codes = ["400", "422"]
        if !route.access.hasPrefix("public") { codes += ["401", "403"] }
        if !pathParameters(route.path).isEmpty { codes.append("404") }
        if route.method == .post || route.method == .put { codes += ["409", "413"] }
        return codes.sorted()
    }

    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }
    static func string(_ description: String? = nil, enum values: [String]? = nil, format: String? = nil) -> [String: Any] {
        var s: [String: Any] = ["type": "string"]
        if let description { s["description"] = description }
        if let values { s["enum"] = values }
        if let format { s["format"] = format }
        return s
    }
    static func nullable(_ schema: [String: Any]) -> [String: Any] {
        var s = schema
        if let t = s["type"] as? String { s["type"] = [t, "null"] }
        return s
    }
    static func object(_ properties: [String: Any], required: [String] = []) -> [String: Any] {
        var s: [String: Any] = ["type": "object", "properties": properties]
        if !required.isEmpty { s["required"] = required }
        return s
    }
    static func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
}
