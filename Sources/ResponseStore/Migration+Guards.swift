extension Migration {
    /// Guards against abuse and faults (versions 18–).
    static let guards: [Migration] = [
        Migration(version: 18, name: "login throttling and idempotent filing") { _ in
            [
                // A streak of failed logins per key ('user:NAME' or 'address:IP'), shared by every
                // instance on the database.
                """
                CREATE TABLE login_throttle (
                  throttle_key TEXT PRIMARY KEY,
                  failures BIGINT NOT NULL,
                  last_failure_at BIGINT NOT NULL,
                  locked_until BIGINT
                )
                """,
                "CREATE INDEX login_throttle_last ON login_throttle (last_failure_at)",
                // The ticket a client's Idempotency-Key filed, written in the ticket's transaction.
                """
                CREATE TABLE idempotency_keys (
                  tenant_id TEXT NOT NULL,
                  scope TEXT NOT NULL,
                  idempotency_key TEXT NOT NULL,
                  body_hash TEXT NOT NULL,
                  ticket_number TEXT NOT NULL,
                  created_at BIGINT NOT NULL,
                  PRIMARY KEY (tenant_id, scope, idempotency_key)
                )
                """,
                "CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)",
            ]
        },
    ]
}
