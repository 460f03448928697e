// libFuzzer target: a boundary layer (GeoJSON) as `serve --layer` and the demo city load it, then
// a lookup of every region's representative point. Built against ResponseCore and ResponseDispatch.
import Foundation
import ResponseDispatch

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let data = Data(bytes: start, count: count)
    guard let layer = try? GeoLayer.parse(data, level: "street", keyProperty: "code", nameProperty: "name") else { return 0 }
    precondition(layer.regions.allSatisfy { !$0.key.isEmpty }, "a region without a key")
    let index = GeoIndex(layers: [layer])
    for region in layer.regions.prefix(64) {
        let point = region.representativePoint
        // On an edge the indexed lookup and the plain scan may round differently: only points
        // clear of every edge must agree.
        guard point.isValid, !layer.regions.contains(where: { nearEdge(point, $0) }) else { continue }
        let scanned = layer.regions.firstIndex { $0.contains(point) }
        let indexed = index.regionIndex(of: point, layerIndex: 0)
        if scanned != indexed {
            FileHandle.standardError.write(Data("\(point): scan \(scanned.map(String.init) ?? "none"), index \(indexed.map(String.init) ?? "none")\n".utf8))
        }
        precondition(scanned == indexed, "the indexed lookup and the plain scan disagree")
    }
    return 0
}

/// Whether `p` lies within 1e-9 degrees of an edge of `region`.
func nearEdge(_ p: GeoPoint, _ region: GeoRegion) -> Bool {
    for ring in region.rings where ring.count > 1 {
        for i in ring.indices {
            let a = ring[i], b = ring[(i + 1) % ring.count]
            let dx = b.longitude - a.longitude, dy = b.latitude - a.latitude
            let length = dx * dx + dy * dy
            let t = length > 0 ? max(0, min(1, ((p.longitude - a.longitude) * dx + (p.latitude - a.latitude) * dy) / length)) : 0
            let ex = a.longitude + t * dx - p.longitude, ey = a.latitude + t * dy - p.latitude
            if ex * ex + ey * ey < 1e-18 { return true }
        }
    }
    return false
}
