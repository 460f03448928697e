import Foundation
import ResponseCore

/// Everything that routes one city's tickets: the boundary layers, the gazetteer, the category
/// and unit models, the dispatch catalogue and the duplicate window. A value: the server keeps
/// one per city inside ``DispatchService`` and tests use it directly.
public struct CityDispatcher: Sendable {
    public var settings: DispatchSettings
    public private(set) var catalogue: DispatchCatalogue
    public private(set) var geo: GeoIndex?
    public private(set) var gazetteer: Gazetteer
    public private(set) var categoryModel: TextClassifier
    public private(set) var unitModel: TextClassifier
    public private(set) var duplicates: DuplicateFinder
    private var units: [String: OrgUnit]
    private var unitByName: [String: String]
    private var categories: Set<String>

    /// Builds the dispatcher and trains its models on `history` (most recent last).
    public init(
        units: [OrgUnit],
        categories: [Category],
        layers: [GeoLayer] = [],
        catalogue: DispatchCatalogue = DispatchCatalogue(),
        history: [Ticket] = [],
        settings: DispatchSettings = DispatchSettings()
    ) {
        self.settings = settings
        self.catalogue = catalogue
        self.geo = layers.isEmpty ? nil : GeoIndex(layers: layers)
        self.gazetteer = Gazetteer(units: units)
        (self.units, self.unitByName) = Self.index(units)
        self.categories = Set(categories.filter(\.active).map(\.code))
        self.duplicates = DuplicateFinder(settings: settings.duplicates)
        let recent = history.suffix(settings.trainingTickets)
        categoryModel = TextClassifier.train(recent.compactMap { t in
            t.categoryCode.map { TextClassifier.Example(text: Self.text(of: t), label: $0) }
        })
        unitModel = TextClassifier.train(recent.compactMap { t in
            // Only routes that stuck: the unit accepted and worked the ticket.
            guard let lead = t.leadUnit, [.accepted, .contacted, .replied, .evaluated, .closed, .reopened].contains(t.status) else { return nil }
            return TextClassifier.Example(text: Self.text(of: t), tokens: Self.placeTokens(t.location), label: lead)
        })
        for t in recent {
            if let address = t.location.address {
                gazetteer.learn(address: address, districtCode: t.location.districtCode, streetCode: t.location.streetCode, point: Self.point(t.location))
            }
            if !t.status.isFinal { duplicates.remember(t) }
        }
    }

    /// Classifies, locates and routes a new ticket. Pure: nothing is learned until
    /// ``remember(_:)``.
    /// - Parameter excluding: The ticket's own number when deciding again for a filed ticket
    ///   (suggestions), so it is not its own duplicate.
    public func decide(_ new: NewTicket, now: Date, excluding: String? = nil) -> DispatchDecision {
        let text = new.title + "\n" + new.description
        var notes: [String: String] = [:]
        var triage = Triage()
        let (district, street) = place(of: new, text: text, notes: &notes, triage: &triage)
        // The text's features are extracted once and shared by both models and the duplicate
        // finder: extraction is most of the cost of a decision.
        let features = TextFeatures.extract(text)
        let (category, categoryConfidence, categorySuggestions) = category(of: new, features: features, notes: &notes, triage: &triage)
        let route = route(category: category, confidence: categoryConfidence, district: district, street: street, features: features, notes: &notes)

        // 4. Same problem already reported? Same caller again?
        let fingerprint = DuplicateFinder.simHash(features)
        let duplicate = duplicates.candidate(
            fingerprint: fingerprint, category: category, point: new.location.flatMap(Self.point), place: street ?? district, at: now, excluding: excluding
        )
        var mergeInto: String? = nil
        if let duplicate {
            notes["duplicateOf"] = String(format: "%@ %.2f", duplicate.number, duplicate.similarity)
            if duplicate.similarity >= settings.duplicates.mergeAt { mergeInto = duplicate.number }
        }
        if let earlier = duplicates.repeatCall(phone: new.complainant?.phone, category: category, at: now) {
            notes["repeatCaller"] = earlier
        }

        let automatic = mergeInto == nil && route.lead != nil && route.confidence >= settings.autoDispatchThreshold && !settings.manualKinds.contains(new.kind)
        notes["decision"] = mergeInto != nil ? "merged as duplicate" : automatic ? "dispatched automatically" : "dispatcher queue"
        triage.notes = notes
        return DispatchDecision(
            triage: triage, leadUnit: route.lead, coUnits: route.coUnits, confidence: route.confidence, automatic: automatic, mergeInto: mergeInto,
            categorySuggestions: categorySuggestions, unitSuggestions: route.suggestions, duplicate: duplicate, fingerprint: fingerprint
        )
    }

    /// 1. Where: the codes given by the call-taker, else the polygons, else the gazetteer.
    func place(of new: NewTicket, text: String, notes: inout [String: String], triage: inout Triage) -> (district: String?, street: String?) {
        var district = new.location?.districtCode, street = new.location?.streetCode
        if district == nil || street == nil, let location = new.location, let point = Self.point(location), let geo {
            let hits = geo.locate(point)
            for hit in hits {
                guard let code = unitByName[hit.key.lowercased()] ?? hit.name.flatMap({ unitByName[$0.lowercased()] }), let unit = units[code] else { continue }
                if unit.kind == .street, street == nil { street = code; triage.streetCode = code }
                if unit.kind == .district, district == nil { district = code; triage.districtCode = code }
            }
            notes["location"] = hits.isEmpty ? "outside every boundary" : "polygon " + hits.map { "\($0.level) \($0.key)" }.joined(separator: ", ")
        }
        if district == nil && street == nil, let match = gazetteer.resolve(address: new.location?.address, text: text) {
            district = match.districtCode
            street = match.streetCode
            triage.districtCode = match.districtCode
            triage.streetCode = match.streetCode
            notes["location"] = "gazetteer: \(match.evidence)"
        }
        if district == nil, let s = street { district = units[s]?.parentCode; triage.districtCode = district }
        return (district, street)
    }

    /// 2. What: the given category, else the model's when it is sure enough.
    func category(
        of new: NewTicket, features: [(key: UInt64, value: Float)], notes: inout [String: String], triage: inout Triage
    ) -> (code: String?, confidence: Double, suggestions: [TextClassifier.Prediction]) {
        let suggestions = categoryModel.predict(features: features, top: 3)
        var category = new.categoryCode
        var confidence = category == nil ? 0.0 : 1.0
        if category == nil, let top = suggestions.first, categories.contains(top.label), categoryModel.labels.count >= 2,
           categoryModel.examplesSeen >= settings.minimumExamplesForModel {
            notes["category"] = String(format: "model %@ %.2f", top.label, top.confidence)
            if top.confidence >= settings.categoryThreshold {
                category = top.label
                confidence = top.confidence
                triage.categoryCode = top.label
            }
        }
        if !suggestions.isEmpty {
            notes["categorySuggestions"] = suggestions.map { String(format: "%@ %.2f", $0.label, $0.confidence) }.joined(separator: "; ")
        }
        return (category, confidence, suggestions)
    }

    /// Who a ticket goes to, how sure, and the unit model's top three.
    struct Route {
        var lead: String?
        var coUnits: [String] = []
        var confidence = 0.0
        var suggestions: [TextClassifier.Prediction]
    }

    /// 3. Who: the catalogue, else the unit model, else the street by location.
    func route(
        category: String?, confidence categoryConfidence: Double, district: String?, street: String?,
        features: [(key: UInt64, value: Float)], notes: inout [String: String]
    ) -> Route {
        let tokens = Self.placeTokens(Location(districtCode: district, streetCode: street))
        let suggestions = unitModel.predict(features: features + TextFeatures.tokenFeatures(tokens), top: 3).filter { units[$0.label]?.active == true }
        var route = Route(suggestions: suggestions)
        if let (rule, unit) = catalogue.match(category: category, district: district, street: street), units[unit]?.active == true {
            route.lead = unit
            route.coUnits = rule.coUnits.filter { units[$0]?.active == true && $0 != unit }
            route.confidence = categoryConfidence
            notes["basis"] = "catalogue line \(rule.line) (\(rule.category) × \(rule.jurisdiction) → \(rule.lead))"
        } else if let top = suggestions.first, unitModel.labels.count >= 2 {
            route.lead = top.label
            // An immature model suggests but never decides.
            route.confidence = unitModel.examplesSeen >= settings.minimumExamplesForModel ? top.confidence : min(top.confidence, 0.5)
            notes["basis"] = "unit model (\(unitModel.examplesSeen) examples)"
        } else if let street {
            route.lead = street
            route.confidence = 0.5
            notes["basis"] = "location only"
        } else {
            notes["basis"] = "none: no rule, no history, no place"
        }
        if !suggestions.isEmpty {
            notes["unitSuggestions"] = suggestions.map { String(format: "%@ %.2f", $0.label, $0.confidence) }.joined(separator: "; ")
        }
        notes["confidence"] = String(format: "%.2f", route.confidence)
        return route
    }

    /// Adds a filed ticket to the duplicate window and the learned addresses.
    /// - Parameter fingerprint: The SimHash from the decision, when there was one.
    public mutating func remember(_ ticket: Ticket, fingerprint: UInt64? = nil) {
        if !ticket.status.isFinal { duplicates.remember(ticket, fingerprint: fingerprint) }
        if let address = ticket.location.address {
            gazetteer.learn(address: address, districtCode: ticket.location.districtCode, streetCode: ticket.location.streetCode, point: Self.point(ticket.location))
        }
    }

    /// Learns from a person's decision: a category correction and/or the unit that really
    /// owns the ticket (a dispatcher's routing, an upheld return, an arbitration).
    public mutating func learn(from ticket: Ticket, category: String?, unit: String?) {
        let text = Self.text(of: ticket)
        if let category { categoryModel.learn(text, label: category) }
        if let unit { unitModel.learn(text, tokens: Self.placeTokens(ticket.location), label: unit) }
    }

    /// Reference data changed (units, categories).
    public mutating func update(units: [OrgUnit], categories: [Category]) {
        (self.units, self.unitByName) = Self.index(units)
        self.categories = Set(categories.filter(\.active).map(\.code))
        self.gazetteer = Gazetteer(units: units)
    }

    /// Units by code, and codes by lower-cased name or code (for boundary-layer keys).
    static func index(_ units: [OrgUnit]) -> ([String: OrgUnit], [String: String]) {
        (Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a }),
         Dictionary(units.flatMap { [($0.name.lowercased(), $0.code), ($0.code.lowercased(), $0.code)] }, uniquingKeysWith: { a, _ in a }))
    }

    static func text(of ticket: Ticket) -> String { ticket.title + "\n" + ticket.description }

    static func placeTokens(_ location: Location) -> [String] {
        [location.districtCode.map { "district=" + $0 }, location.streetCode.map { "street=" + $0 }].compactMap { $0 }
    }

    static func point(_ location: Location) -> GeoPoint? {
        guard let lat = location.latitude, let lon = location.longitude else { return nil }
        return GeoPoint(latitude: lat, longitude: lon)
    }
}
