/// What a database URL names: `postgres://…` (or `postgresql://…`) a PostgreSQL database,
/// `sqlite:PATH`, `sqlite://PATH` or a plain path a SQLite file. The one reading of the URL for
/// opening a store, backing it up and finding the files kept beside it.
public enum DatabaseURL: Equatable, Sendable {
    /// The URL with the scheme `postgres://`.
    case postgres(String)
    /// The file's path (empty when the URL names none).
    case sqlite(path: String)

    public init(_ url: String) {
        if url.hasPrefix("postgresql://") {
            self = .postgres("postgres://" + url.dropFirst("postgresql://".count))
        } else if url.hasPrefix("postgres://") {
            self = .postgres(url)
        } else {
            let prefix = ["sqlite://", "sqlite:"].first { url.hasPrefix($0) }
            self = .sqlite(path: String(url.dropFirst(prefix?.count ?? 0)))
        }
    }
}
