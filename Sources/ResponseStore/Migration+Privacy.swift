extension Migration {
    /// Sealing, the access log and erasure (versions 15–).
    static let privacy: [Migration] = [
        Migration(version: 15, name: "contact data sealed at rest") { _ in
            [
                // The id of the key that sealed a row's contact data ('' for data written before
                // sealing, NULL for none), so `keys rotate` finds what to re-seal by index.
                "ALTER TABLE tickets ADD COLUMN contact_key TEXT",
                "ALTER TABLE notifications ADD COLUMN contact_key TEXT",
                """
                UPDATE tickets SET contact_key = '' WHERE complainant_name IS NOT NULL OR complainant_phone IS NOT NULL OR complainant_email IS NOT NULL
                """,
                "UPDATE notifications SET contact_key = '' WHERE recipient IS NOT NULL",
                "CREATE INDEX tickets_contact_key ON tickets (contact_key, id) WHERE contact_key IS NOT NULL",
                "CREATE INDEX notifications_contact_key ON notifications (contact_key, id) WHERE contact_key IS NOT NULL",
            ]
        },
        Migration(version: 16, name: "access log of contact data") { backend in
            [
                // Every disclosure of unmasked contact data: who, role, unit, ticket, when, which face.
                """
                CREATE TABLE access_log (
                  id TEXT PRIMARY KEY,
                  tenant_id TEXT NOT NULL,
                  at BIGINT NOT NULL,
                  actor TEXT NOT NULL,
                  role TEXT NOT NULL,
                  unit TEXT,
                  ticket_number TEXT NOT NULL,
                  route TEXT NOT NULL
                )
                """,
                "CREATE INDEX access_log_time ON access_log (tenant_id, at)",
                "CREATE INDEX access_log_ticket ON access_log (tenant_id, ticket_number, at)",
                "CREATE INDEX access_log_actor ON access_log (tenant_id, actor, at)",
            ] + backend.appendOnlySchema(table: "access_log")
        },
        Migration(version: 17, name: "erasure of contact data") { backend in
            backend.erasableEventsSchema + [
                // The retention purge walks a city's finished tickets that still hold contacts.
                "CREATE INDEX tickets_retention ON tickets (tenant_id, closed_at, id) WHERE contact_key IS NOT NULL",
            ]
        },
    ]
}
