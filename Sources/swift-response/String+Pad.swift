/// Left-aligned columns for the command line's tables.
extension String {
    func pad(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
