import Foundation
import ResponseCore
import ResponseStore

extension ReferenceStore {
    /// Field errors for the category and places a ticket names that the city does not have: the
    /// one check of a new ticket (``TicketIntake/check(_:city:)``) and of a triage (``TicketDesk``).
    /// - Parameter placeField: Prefix of the places' field names (`location.` in a new ticket).
    func missing(category: String?, district: String?, street: String?, tenantID: String, placeField: String = "") async throws -> [FieldError] {
        var errors: [FieldError] = []
        if let category, try await self.category(code: category, tenantID: tenantID) == nil {
            errors.append(FieldError(field: "categoryCode", message: "no category \(category)"))
        }
        for (field, code) in [("districtCode", district), ("streetCode", street)] {
            if let code, try await unit(code: code, tenantID: tenantID) == nil {
                errors.append(FieldError(field: placeField + field, message: "no unit \(code)"))
            }
        }
        return errors
    }
}
