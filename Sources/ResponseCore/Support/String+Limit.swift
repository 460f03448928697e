extension String {
    /// Whether the text is longer than `limit` characters as storage sees them: Unicode scalars
    /// (a letter with a thousand combining marks is one `Character` but a thousand and one
    /// scalars) or more than four UTF-8 bytes a character. Every length limit on input uses it.
    public func exceeds(_ limit: Int) -> Bool {
        utf8.count > 4 * limit || unicodeScalars.count > limit
    }
}
