import Foundation

/// Where the problem is. Coordinates are optional; the address text and codes may stand alone.
public struct Location: Codable, Sendable, Equatable {
    public var latitude: Double?
    public var longitude: Double?
    public var address: String?
    /// Code of the district unit (e.g. `chaoyang`).
    public var districtCode: String?
    /// Code of the street/township unit.
    public var streetCode: String?

    public init(
        latitude: Double? = nil,
        longitude: Double? = nil,
        address: String? = nil,
        districtCode: String? = nil,
        streetCode: String? = nil
    ) {
        self.latitude = latitude
        self.longitude = longitude
        self.address = address
        self.districtCode = districtCode
        self.streetCode = streetCode
    }

    /// Field-level problems: coordinates out of range, or only one of the pair.
    public func validationErrors(prefix: String = "location") -> [FieldError] {
        var errors: [FieldError] = []
        switch (latitude, longitude) {
        case (nil, nil): break
        case (.some, nil): errors.append(.init(field: "\(prefix).longitude", message: "required when latitude is given"))
        case (nil, .some): errors.append(.init(field: "\(prefix).latitude", message: "required when longitude is given"))
        case (.some(let lat), .some(let lon)):
            if !(lat.isFinite && (-90...90).contains(lat)) {
                errors.append(.init(field: "\(prefix).latitude", message: "must be between -90 and 90"))
            }
            if !(lon.isFinite && (-180...180).contains(lon)) {
                errors.append(.init(field: "\(prefix).longitude", message: "must be between -180 and 180"))
            }
        }
        if let address, address.exceeds(500) {
            errors.append(.init(field: "\(prefix).address", message: "at most 500 characters"))
        }
        return errors
    }
}
