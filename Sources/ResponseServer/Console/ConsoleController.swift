import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import ResponseCore
import ResponseStore

/// The web console of every role and the residents' portal: server-rendered Mustache pages in
/// Chinese or English whose small script reads and changes everything through the JSON API
/// (`/api/v1/…`, with the session cookie), so the console holds no rules of its own.
struct ConsoleController: ServerFace {
    let server: ServerServices
    let auth: AuthController
    let library: MustacheLibrary
    let text: ConsoleText
    let assets: ConsoleAssets
    /// Part of every asset URL, so a new build is never served a stale cached script.
    let version: String

    /// One screen of the console.
    struct Page: Sendable {
        var path: String
        var template: String
        /// The navigation entry it belongs to.
        var nav: String
        var roles: Set<Role>
    }

    static let pages: [Page] = [
        Page(path: "/console/intake", template: "intake", nav: "intake", roles: [.agent, .dispatcher, .supervisor, .admin]),
        Page(path: "/console/follow-up", template: "followup", nav: "followup", roles: [.agent, .supervisor, .admin]),
        Page(path: "/console/dispatch", template: "dispatch", nav: "dispatch", roles: [.dispatcher, .supervisor, .admin]),
        Page(path: "/console/inbox", template: "inbox", nav: "inbox", roles: [.handler]),
        Page(path: "/console/oversight", template: "oversight", nav: "oversight", roles: [.supervisor, .admin, .dispatcher]),
        Page(path: "/console/insight", template: "insight", nav: "insight", roles: [.supervisor, .admin, .dispatcher]),
        Page(path: "/console/knowledge", template: "knowledge", nav: "knowledge", roles: Set(Role.loginRoles)),
    ]

    /// Where each role starts.
    static func home(_ role: Role) -> String {
        switch role {
        case .agent: "/console/intake"
        case .dispatcher: "/console/dispatch"
        case .handler: "/console/inbox"
        case .supervisor: "/console/oversight"
        default: "/console/knowledge"
        }
    }

    init(server: ServerServices, auth: AuthController) {
        self.server = server
        self.auth = auth
        let base = Bundle.module.resourceURL.map { $0.appendingPathComponent("Resources") }
        let resources = base.flatMap { FileManager.default.fileExists(atPath: $0.appendingPathComponent("console").path) ? $0 : nil }
            ?? Bundle.module.resourceURL ?? URL(fileURLWithPath: ".")
        var library = MustacheLibrary()
        let templates = resources.appendingPathComponent("console/templates")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: templates.path)) ?? [] where name.hasSuffix(".mustache") {
            guard let source = try? String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8) else { continue }
            // A template that does not parse is a build defect (the tests render every page);
            // the API keeps working and the page says which template is missing.
            try? library.register(source, named: String(name.dropLast(".mustache".count)))
        }
        self.library = library
        // Without its strings (a broken build) the console shows their keys rather than stop the server.
        text = (try? ConsoleText(data: try Data(contentsOf: resources.appendingPathComponent("console/strings.json")))) ?? ConsoleText(raw: [:])
        assets = ConsoleAssets(resources: resources)
        version = String(Secrets.hashToken(assets.files.keys.sorted().joined() + String(assets.files.values.reduce(0) { $0 + $1.bytes.readableBytes })).prefix(10))
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        registerAssets(on: router)
        registerSignIn(on: router)
        registerStaffPages(on: router)
        registerPortal(on: router)
    }

    /// Scripts, styles and images: immutable when asked with the build's `?v=`.
    func registerAssets(on router: RouterGroup<AppRequestContext>) {
        router.get("/assets/**") { request, _ -> Response in
            let path = String(request.uri.path.dropFirst("/assets/".count))
            guard let file = assets.files[path] else { throw Problem.notFound("no asset \(path)") }
            var headers = HTTPFields()
            headers[.contentType] = file.contentType
            headers[.cacheControl] = request.uri.queryParameters["v"] == nil ? "no-cache" : "public, max-age=31536000, immutable"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: file.bytes))
        }
    }

    /// The login page's data: where to go next, and the demo's users when it has them.
    func loginExtra(next: String, _ more: [String: Any] = [:]) -> [String: Any] {
        more.merging([
            "next": next,
            "demoUsers": configuration.demoUsers.map { ["username": $0.username, "role": $0.role.rawValue] },
            "hasDemoUsers": !configuration.demoUsers.isEmpty,
        ]) { _, new in new }
    }

    /// Signing in and out with the session cookie.
    func registerSignIn(on router: RouterGroup<AppRequestContext>) {
        router.get("/console") { request, context -> Response in
            guard let identity = context.identity else { return Self.redirect("/console/login") }
            return Self.redirect(Self.home(identity.role) + Self.langSuffix(request))
        }
        router.get("/console/login") { request, context -> Response in
            if let identity = context.identity, Role.loginRoles.contains(identity.role) { return Self.redirect(Self.home(identity.role)) }
            return render("login", request: request, identity: nil, nav: nil,
                          extra: loginExtra(next: Self.safeNext(request.uri.queryParameters["next"].map(String.init)) ?? ""))
        }
        router.post("/console/login") { request, context -> Response in
            let form = try await request.decodeForm(SignInForm.self)
            let next = Self.safeNext(form?.next)
            do {
                let session = try await auth.signIn(.init(username: form?.username ?? "", password: form?.password ?? ""), address: context.addressKey)
                var response = Self.redirect(next ?? Self.home(session.user.role))
                let maxAge = Int(configuration.sessionLifetime)
                response.headers[values: .setCookie] = [
                    // Secure whenever residents and staff reach the server over https.
                    "\(AuthMiddleware.sessionCookie)=\(session.token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
                        + (configuration.publicURL.lowercased().hasPrefix("https://") ? "; Secure" : ""),
                ]
                return response
            } catch let problem as Problem where problem.status == .unauthorized || problem.status == .tooManyRequests {
                let throttled = problem.status == .tooManyRequests
                var page = render("login", request: request, identity: nil, nav: nil,
                                  extra: loginExtra(next: next ?? "", ["failed": !throttled, "throttled": throttled, "username": form?.username ?? ""]))
                page.status = problem.status
                if let wait = problem.retryAfter { page.headers[.retryAfter] = String(wait) }
                return page
            }
        }
        router.post("/console/logout") { request, context -> Response in
            if let token = request.cookies[AuthMiddleware.sessionCookie]?.value {
                let hash = Secrets.hashToken(token)
                try await store.deleteSession(tokenHash: hash)
                cache.remove(hash)
            }
            var response = Self.redirect("/console/login")
            response.headers[values: .setCookie] = ["\(AuthMiddleware.sessionCookie)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"]
            return response
        }
    }

    /// Every staff screen, and a ticket's page.
    func registerStaffPages(on router: RouterGroup<AppRequestContext>) {
        for page in Self.pages {
            router.get(RouterPath(page.path)) { request, context -> Response in
                try self.staffPage(page, request: request, context: context)
            }
        }
        router.get("/console/tickets/:number") { request, context -> Response in
            let page = Page(path: "", template: "ticket", nav: "", roles: Set(Role.loginRoles))
            return try self.staffPage(page, request: request, context: context, extra: ["number": try context.parameters.require("number")])
        }
    }

    /// The residents' portal: no login.
    func registerPortal(on router: RouterGroup<AppRequestContext>) {
        router.get("/portal") { request, _ -> Response in render("portal", request: request, identity: nil, nav: "portal") }
        router.get("/portal/track") { request, _ -> Response in
            render("track", request: request, identity: nil, nav: "track", extra: [
                "number": request.uri.queryParameters["number"].map(String.init) ?? "", "code": request.uri.queryParameters["code"].map(String.init) ?? "",
            ])
        }
        router.get("/portal/track/:number") { request, context -> Response in
            render("track", request: request, identity: nil, nav: "track", extra: [
                "number": try context.parameters.require("number"), "code": request.uri.queryParameters["code"].map(String.init) ?? "",
            ])
        }
        router.get("/portal/dashboard") { request, _ -> Response in render("dashboard", request: request, identity: nil, nav: "dashboard") }
        router.get("/licences") { request, _ -> Response in render("licences", request: request, identity: nil, nav: nil) }
    }

    func staffPage(_ page: Page, request: Request, context: AppRequestContext, extra: [String: Any] = [:]) throws -> Response {
        guard let identity = context.identity, Role.loginRoles.contains(identity.role) else {
            return Self.redirect("/console/login?next=" + (request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        guard page.roles.contains(identity.role) else {
            var response = render("forbidden", request: request, identity: identity, nav: nil)
            response.status = .forbidden
            return response
        }
        return render(page.template, request: request, identity: identity, nav: page.nav, extra: extra)
    }

    /// Renders a page with the shell every page shares: language, navigation for the role, user.
    func render(_ template: String, request: Request, identity: Identity?, nav: String?, extra: [String: Any] = [:]) -> Response {
        let language = ConsoleText.language(query: request.uri.queryParameters["lang"].map(String.init),
                                            cookie: request.cookies["sr_lang"]?.value, acceptLanguage: request.headers[.acceptLanguage])
        let t = text[language]
        var values: [String: Any] = [
            "t": t, "lang": language.tag, "language": language.rawValue, "otherLanguage": language.other.rawValue,
            "otherLanguageName": language.other.ownName, "stringsJSON": text.json[language] ?? "{}", "v": version,
            "city": configuration.tenant.name, "page": template, "path": request.uri.path,
        ]
        if let identity {
            var user: [String: Any] = ["name": identity.name, "role": identity.role.rawValue, "roleName": t["role_" + identity.role.rawValue] ?? identity.role.rawValue]
            if let unit = identity.unitCode { user["unit"] = unit }
            values["user"] = user
            values["nav"] = Self.pages.filter { $0.roles.contains(identity.role) }.map {
                ["href": $0.path, "label": t["nav_" + $0.nav] ?? $0.nav, "current": $0.nav == nav]
            }
        }
        values["title"] = t[Self.titles[template] ?? "app"] ?? ""
        for (k, v) in extra { values[k] = v }
        let html = library.render(values, withTemplate: template) ?? "template \(template) is missing"
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
        headers[.contentTypeOptions] = "nosniff"
        if let chosen = request.uri.queryParameters["lang"].map(String.init), ConsoleText.Language(rawValue: chosen) != nil {
            headers[values: .setCookie] = ["sr_lang=\(chosen); Path=/; Max-Age=31536000; SameSite=Lax"]
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The string that names each page in its `<title>`.
    static let titles: [String: String] = [
        "login": "login_title", "intake": "intake_title", "followup": "followup_title", "dispatch": "dispatch_title", "inbox": "inbox_title",
        "oversight": "oversight_title", "insight": "insight_title", "knowledge": "kb_title", "ticket": "timeline", "portal": "portal_title", "track": "portal_track",
        "dashboard": "portal_dashboard", "licences": "licences", "forbidden": "error",
    ]

    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    static func langSuffix(_ request: Request) -> String {
        request.uri.queryParameters["lang"].map { "?lang=" + $0 } ?? ""
    }

    /// Only local console paths are followed after login (no open redirect).
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/console/"), !next.hasPrefix("//"), !next.contains("\\"), next.count < 200 else { return nil }
        return next
    }
}
