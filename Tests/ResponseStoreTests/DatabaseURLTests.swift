import Testing
import ResponseStore

@Test("a database URL names PostgreSQL or a SQLite file, one reading for every command")
func databaseURLs() {
    #expect(DatabaseURL("postgres://u:p@h:5432/d?sslmode=disable") == .postgres("postgres://u:p@h:5432/d?sslmode=disable"))
    #expect(DatabaseURL("postgresql://u@h/d") == .postgres("postgres://u@h/d"))
    #expect(DatabaseURL("sqlite:///tmp/a.sqlite") == .sqlite(path: "/tmp/a.sqlite"))
    #expect(DatabaseURL("sqlite:hotline.sqlite") == .sqlite(path: "hotline.sqlite"))
    #expect(DatabaseURL("./hotline.sqlite") == .sqlite(path: "./hotline.sqlite"))
    #expect(DatabaseURL("sqlite:") == .sqlite(path: ""))
}
